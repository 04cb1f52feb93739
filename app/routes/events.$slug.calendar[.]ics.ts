import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventsToIcs } from "~/calendar/ics.server";
import { getEventForViewer } from "~/models/events.server";
import { myRegistration } from "~/models/registrations.server";

// One event as an .ics download. The joining link is included only for a confirmed registrant.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const view = await getEventForViewer(params.slug ?? "", viewer?.id);
  if (!view || view.event.state === "draft") throw new Response("Not found", { status: 404 });
  const reg = viewer ? await myRegistration(view.event.id, viewer.id) : null;
  const body = eventsToIcs([view.event], {
    appUrl: context.appUrl,
    name: view.event.title,
    includeJoinUrl: reg?.status === "confirmed",
    organiser: view.organisers[0]?.name,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${view.event.slug}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
