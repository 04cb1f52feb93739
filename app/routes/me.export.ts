import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/permissions.server";
import { exportUserData } from "~/models/account-data.server";

// A resource route: the person's data as a JSON download.
export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const body = JSON.stringify(await exportUserData(viewer.id), null, 2);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="convene-data-${day}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
