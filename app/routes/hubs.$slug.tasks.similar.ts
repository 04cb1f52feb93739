import type { LoaderFunctionArgs } from "@remix-run/node";
import { findHub } from "~/models/hubs.server";
import { similarTasks } from "~/models/tasks.server";

// Suggestions while someone types a new task's title (the propose page fetches this).
export async function loader({ params, request }: LoaderFunctionArgs) {
  const hub = await findHub(params.slug ?? "");
  if (!hub) throw new Response("Not found", { status: 404 });
  const title = new URL(request.url).searchParams.get("title") ?? "";
  const similar = await similarTasks(hub.id, title);
  return { similar: similar.map(({ id, title, status }) => ({ id, title, status })) };
}
