import type { LoaderFunctionArgs } from "@remix-run/node";
import { mentionSuggestions } from "~/models/threads.server";

// Suggestions after "@" in a thread's reply box (app/components/mention-box.tsx): people
// who may read the thread and are part of it. Only for people who may post there.
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const people = await mentionSuggestions(params.kind ?? "", params.key ?? "", context.auth.user, q);
  if (!people) throw new Response("Not found", { status: 404 });
  return Response.json({ people }, { headers: { "Cache-Control": "private, no-store" } });
}
