import type { TaskStatus } from "../../db/schema";
import type { Viewer } from "../auth/permissions.server";
import { pageReads } from "../utils/request-memo.server";
import { sourcesOfHub } from "./data-sources.server";
import { upcomingEventsFor } from "./events.server";
import { findHub, hubStage, hubStewards, organisationsAtHubEvents, PHASE_LABELS, type Phase, phaseOf, standingInHub, ukDate } from "./hubs.server";
import { type BoardFilters, boardTasks } from "./task-reads.server";
import { STATUS_LABELS } from "./task-status";
import { BOARD_COLUMNS } from "./tasks.server";
import { threadForPage } from "./threads.server";
import { seer } from "./visibility.server";

// A moment hub's page, in one call (a loader makes one model call): the hub, its phases,
// the board (filtered or not), who is working on what, its events and its discussion.
// The independent reads go out together rather than one after another.

const PHASES: Phase[] = ["before", "on_the_day", "after"];

export async function getHubPage(slug: string, filters: BoardFilters, viewer: Viewer | null, now = new Date()) {
  return pageReads(viewer, () => readHubPage(slug, filters, viewer, now));
}

async function readHubPage(slug: string, filters: BoardFilters, viewer: Viewer | null, now: Date) {
  const hub = await findHub(slug);
  if (!hub) return null;
  const filtered = Object.values(filters).some(Boolean);
  const [all, filteredTasks, attending, stewards, events, thread, { can }, sources] = await Promise.all([
    boardTasks(hub.id),
    filtered ? boardTasks(hub.id, filters) : null,
    organisationsAtHubEvents(hub.id),
    hubStewards(hub.id),
    upcomingEventsFor({ hubId: hub.id }, seer(viewer)),
    threadForPage("hub", hub.slug, viewer),
    standingInHub(hub.id, viewer),
    sourcesOfHub(hub.id),
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
    // A card's fields only: the page's data travels inside its HTML, so what no card shows stays behind.
    columns: BOARD_COLUMNS.map((s) => ({ status: s, label: STATUS_LABELS[s], tasks: shown.filter((t) => t.status === s).map(card) })),
    shownCount: shown.length,
    // The tags and "who is working on what" come from the board's own tasks, not more queries.
    tags: [...new Set(all.flatMap((t) => t.tags))].sort(),
    organisations: whoIsWorkingOnWhat(all, attending).map((o) => ({ ...o, tasks: o.tasks.map(({ id, title, role }) => ({ id, title, role })) })),
    events,
    thread,
    sources,
  };
}

type BoardTask = Awaited<ReturnType<typeof boardTasks>>[number];
type WorkItem = { id: string; title: string; status: TaskStatus; role: "lead" | "helping"; dueDate: string | null };

/**
 * Every organisation taking part in the hub, by name, with the tasks it leads or helps with
 * (by title): from the board's tasks, and the organisations only attending its events.
 */
function whoIsWorkingOnWhat(tasks: BoardTask[], attending: { name: string; slug: string }[]) {
  const byOrg = new Map<string, { name: string; slug: string; tasks: WorkItem[] }>();
  const entry = (slug: string, name: string) => {
    let o = byOrg.get(slug);
    if (!o) byOrg.set(slug, (o = { name, slug, tasks: [] }));
    return o;
  };
  for (const t of tasks) {
    const item = { id: t.id, title: t.title, status: t.status, dueDate: t.dueDate };
    if (t.leadOrgSlug && t.leadOrgName) entry(t.leadOrgSlug, t.leadOrgName).tasks.push({ ...item, role: "lead" });
    const helping = new Set(t.collaborators.map((c) => c.orgSlug).filter((s): s is string => !!s && s !== t.leadOrgSlug));
    for (const slug of helping) entry(slug, t.collaborators.find((c) => c.orgSlug === slug)?.org ?? slug).tasks.push({ ...item, role: "helping" });
  }
  for (const o of attending) entry(o.slug, o.name);
  for (const o of byOrg.values()) o.tasks.sort((a, b) => a.title.localeCompare(b.title));
  return [...byOrg.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** What a task's card on the board shows. */
const card = (t: BoardTask) => ({
  id: t.id,
  title: t.title,
  status: t.status,
  dueDate: t.dueDate,
  tags: t.tags,
  leadName: t.leadName,
  leadOrgName: t.leadOrgName,
  collaborators: t.collaborators.map(({ name, org }) => ({ name, org })),
});
