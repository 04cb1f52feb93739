import type { Viewer } from "../auth/permissions.server";
import { pageReads } from "../utils/request-memo.server";
import { getEventForViewer } from "./events.server";
import { myRegistration, seriesOccurrences } from "./registrations.server";
import { threadForPage } from "./threads.server";

// An event's page, in one call (a loader makes one model call): the event as this viewer
// may see it, their place, the rest of its series and its discussion, read together.

export async function getEventPage(slug: string, viewer: Viewer | null) {
  return pageReads(viewer, () => readEventPage(slug, viewer));
}

async function readEventPage(slug: string, viewer: Viewer | null) {
  const view = await getEventForViewer(slug, viewer?.id);
  if (!view) return null;
  const e = view.event;
  const [registration, series, thread] = await Promise.all([
    viewer ? myRegistration(e.id, viewer.id) : null,
    e.seriesId ? seriesOccurrences(e.seriesId) : [],
    threadForPage("event", e.slug, viewer),
  ]);
  const place = registration && registration.status !== "cancelled" ? registration.status : null;
  return {
    ...view,
    registration: place,
    series,
    thread,
    can: {
      manage: view.canManage,
      // The joining link leaves the server only for a confirmed place, and for the organisers.
      seeJoinLink: place === "confirmed" || view.canManage,
    },
  };
}
