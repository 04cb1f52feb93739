import type { Viewer } from "../auth/permissions.server";
import { upcomingEventsFor } from "./events.server";
import { findHub, hubStage, hubStewards, organisationsTakingPart, PHASE_LABELS, type Phase, phaseOf, standingInHub, ukDate } from "./hubs.server";
import { type BoardFilters, boardTasks, tagsInHub, workByOrganisationInHub } from "./task-reads.server";
import { STATUS_LABELS } from "./task-status";
import { BOARD_COLUMNS } from "./tasks.server";
import { threadForPage } from "./threads.server";
import { seer } from "./visibility.server";

// A moment hub's page, in one call (a loader makes one model call): the hub, its phases,
// the board (filtered or not), who is working on what, its events and its discussion.
// The independent reads go out together rather than one after another.

const PHASES: Phase[] = ["before", "on_the_day", "after"];

export async function getHubPage(slug: string, filters: BoardFilters, viewer: Viewer | null, now = new Date()) {
  const hub = await findHub(slug);
  if (!hub) return null;
  const filtered = Object.values(filters).some(Boolean);
  const [all, filteredTasks, orgs, work, stewards, tags, events, thread, { can }] = await Promise.all([
    boardTasks(hub.id),
    filtered ? boardTasks(hub.id, filters) : null,
    organisationsTakingPart(hub.id),
    workByOrganisationInHub(hub.id),
    hubStewards(hub.id),
    tagsInHub(hub.id),
    upcomingEventsFor({ hubId: hub.id }, seer(viewer)),
    threadForPage("hub", hub.slug, viewer),
    standingInHub(hub.id, viewer),
  ]);
  // The moment's phases are a grouping of the same tasks (a filter of the one board), not a second list.
  const inPhase = (t: { dueDate: string | null }) => !filters.phase || (!!t.dueDate && phaseOf(t.dueDate, hub.momentAt) === filters.phase);
  const shown = (filteredTasks ?? all).filter(inPhase);
  const live = all.filter((t) => t.status !== "dropped");
  return {
    hub,
    can,
    stage: hubStage(hub.momentAt, now),
    stewards,
    currentPhase: phaseOf(ukDate(now), hub.momentAt),
    phases: PHASES.map((p) => ({
      phase: p,
      label: PHASE_LABELS[p],
      count: live.filter((t) => t.dueDate && phaseOf(t.dueDate, hub.momentAt) === p).length,
    })),
    undated: live.filter((t) => !t.dueDate).length,
    filtered,
    columns: BOARD_COLUMNS.map((s) => ({ status: s, label: STATUS_LABELS[s], tasks: shown.filter((t) => t.status === s) })),
    shownCount: shown.length,
    tags,
    organisations: orgs.map((o) => ({ ...o, tasks: work.get(o.id) ?? [] })),
    events,
    thread,
  };
}
