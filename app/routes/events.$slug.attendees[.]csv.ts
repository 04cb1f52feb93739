import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { requireUser } from "~/auth/permissions.server";
import { attendeeList } from "~/models/events.server";

// The attendee list for organisers, as CSV.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const list = await attendeeList(viewer, params.slug ?? "");
  if (!list) throw new Response("Not found", { status: 404 });
  if (list === "forbidden") throw new Response("Only this event's organisers can see who is coming.", { status: 403 });
  const cell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  const rows = list.attendees.map((a) =>
    [
      a.name,
      a.email,
      a.organisations.join("; "),
      a.status,
      a.accessNeeds.join("; "),
      a.accessNotes ?? "",
      a.attended === null ? "" : a.attended ? "yes" : "no",
    ].map(cell),
  );
  const csv = stringify([["Name", "Email", "Organisations", "Status", "Access needs", "Access notes", "Attended"], ...rows]);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${list.event.slug}-attendees.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
