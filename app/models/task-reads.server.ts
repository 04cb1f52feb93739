import { and, asc, desc, eq, inArray, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Hub, PlatformRole, Task, TaskStatus } from "../../db/schema";
import { hasRole, rolesOf } from "../auth/permissions.server";
import { type Database, type DbOrTx, db, prepared, schema } from "../utils/db.server";
import { pageReads, primeShared, sharedRead } from "../utils/request-memo.server";
import { findHub } from "./hubs.server";
import { taskCapabilities } from "./task-capabilities";
import { type Actor, activeOrganisationsJson, BOARD_COLUMNS } from "./tasks.server";
import { threadForPage } from "./threads.server";

// Reading the research tracker: the board, a task's page, who works on what, a person's
// tasks. The rules for changing tasks are in tasks.server.ts.

/** A page's viewer: an actor, with the name and roles a discussion needs. */
type PageViewer = Actor & { name?: string; roles?: PlatformRole[] };

const leadUser = alias(schema.users, "lead_user");
const leadOrg = alias(schema.organisations, "lead_org");

export type BoardFilters = { tag?: string; org?: string; status?: string; unclaimed?: boolean; phase?: "before" | "on_the_day" | "after" };

/** The tracker's tasks with their lead and helpers, filtered; merged tasks are left out. */
/** A hub's tasks with their lead and their collaborators, in one statement. */
function boardSelect(d: Database) {
  return d
    .select({
      task: schema.tasks,
      leadName: leadUser.name,
      leadOrgName: leadOrg.name,
      leadOrgSlug: leadOrg.slug,
      collaborators: sql<{ name: string; org: string | null; orgSlug: string | null }[]>`coalesce((
        select json_agg(json_build_object('name', u.name, 'org', o.name, 'orgSlug', o.slug) order by u.name)
          from task_collaborators c join users u on u.id = c.user_id left join organisations o on o.id = c.organisation_id
         where c.task_id = ${schema.tasks.id}), '[]'::json)`,
    })
    .from(schema.tasks)
    .leftJoin(leadUser, eq(leadUser.id, schema.tasks.leadUserId))
    .leftJoin(leadOrg, eq(leadOrg.id, schema.tasks.leadOrgId))
    .$dynamic();
}

async function boardTasksRead(hubId: string, filters: BoardFilters = {}) {
  const where: SQL[] = [eq(schema.tasks.hubId, hubId), isNull(schema.tasks.mergedIntoId)];
  if (filters.tag) where.push(sql`${filters.tag} = ANY(${schema.tasks.tags})`);
  if (filters.status && (BOARD_COLUMNS as string[]).includes(filters.status)) where.push(eq(schema.tasks.status, filters.status as TaskStatus));
  if (filters.unclaimed) where.push(and(eq(schema.tasks.status, "open"), isNull(schema.tasks.leadUserId))!);
  if (filters.org) {
    where.push(
      or(
        eq(leadOrg.slug, filters.org),
        sql`exists (select 1 from task_collaborators tc join organisations o on o.id = tc.organisation_id where tc.task_id = ${schema.tasks.id} and o.slug = ${filters.org})`,
      )!,
    );
  }
  // Unfiltered (the common case, every hub page), the statement is prepared once per process.
  const rows =
    where.length > 2
      ? await boardSelect(db)
          .where(and(...where))
          .orderBy(sql`${schema.tasks.dueDate} asc nulls last`, asc(schema.tasks.title))
      : await prepared("convene_board", (d) =>
          boardSelect(d)
            .where(and(eq(schema.tasks.hubId, sql.placeholder("hubId")), isNull(schema.tasks.mergedIntoId)))
            .orderBy(sql`${schema.tasks.dueDate} asc nulls last`, asc(schema.tasks.title))
            .prepare("convene_board"),
        ).execute({ hubId });
  return rows.map((r) => ({ ...r.task, leadName: r.leadName, leadOrgName: r.leadOrgName, leadOrgSlug: r.leadOrgSlug, collaborators: r.collaborators }));
}
/** Shared between requests while the data is unchanged (sharedRead). */
export const boardTasks = sharedRead("hub.board", boardTasksRead);

export async function getTaskPage(
  hubSlug: string,
  taskId: string,
  actor: PageViewer | null,
): Promise<null | { hub: Hub; redirectTo: string } | Awaited<ReturnType<typeof loadTaskPage>>> {
  return pageReads(actor, () => readTaskPage(hubSlug, taskId, actor));
}

async function readTaskPage(hubSlug: string, taskId: string, actor: PageViewer | null) {
  const hub = await findHub(hubSlug);
  if (!hub) return null;
  const row = await taskWithLead(taskId, hub.id);
  if (!row) return null;
  if (row.task.mergedIntoId) return { hub, redirectTo: row.task.mergedIntoId };
  return loadTaskPage(hub, row, actor);
}

/** A task of a hub with its lead's and their organisation's names. */
const taskWithLead = sharedRead("task.row", async (taskId: string, hubId: string) => {
  const [row] = await db
    .select({ task: schema.tasks, leadName: leadUser.name, leadOrgName: leadOrg.name, leadOrgSlug: leadOrg.slug })
    .from(schema.tasks)
    .leftJoin(leadUser, eq(leadUser.id, schema.tasks.leadUserId))
    .leftJoin(leadOrg, eq(leadOrg.id, schema.tasks.leadOrgId))
    .where(and(eq(schema.tasks.id, taskId), eq(schema.tasks.hubId, hubId)));
  return row ?? null;
});

/** A task's collaborators, in the order they joined. */
const taskCollaboratorsOf = sharedRead("task.collaborators", async (taskId: string) => {
  return db
    .select({
      userId: schema.users.id,
      name: schema.users.name,
      org: schema.organisations.name,
      orgSlug: schema.organisations.slug,
      joinedAt: schema.taskCollaborators.joinedAt,
    })
    .from(schema.taskCollaborators)
    .innerJoin(schema.users, eq(schema.users.id, schema.taskCollaborators.userId))
    .leftJoin(schema.organisations, eq(schema.organisations.id, schema.taskCollaborators.organisationId))
    .where(eq(schema.taskCollaborators.taskId, taskId))
    .orderBy(asc(schema.taskCollaborators.joinedAt));
});

/** The history of a task and of every task merged into it, newest first, in one statement. */
const taskHistoryOf = sharedRead("task.history", async (taskId: string) => {
  const h = schema.taskHistory;
  const mergedIn = db.select({ id: schema.tasks.id }).from(schema.tasks).where(eq(schema.tasks.mergedIntoId, taskId));
  return db
    .select({ id: h.id, summary: h.summary, kind: h.kind, createdAt: h.createdAt, taskId: h.taskId, actorId: h.actorId })
    .from(h)
    .where(or(eq(h.taskId, taskId), inArray(h.taskId, mergedIn)))
    .orderBy(desc(h.createdAt), desc(h.id));
});

/**
 * Where a person stands on a hub's task page, in one statement: whether they steward the
 * hub, and their active organisations (by name, as `activeOrganisations` lists them).
 * Shared between requests while the data is unchanged.
 */
const viewerOnHub = sharedRead("hub.viewer", async (hubId: string, userId: string) => {
  const {
    rows: [r],
  } = await db.execute<{ steward: boolean; orgs: { id: string; name: string; slug: string }[] }>(sql`select
      exists (select 1 from ${schema.hubStewards} s where s.hub_id = ${hubId} and s.user_id = ${userId}) as steward,
      ${activeOrganisationsJson(userId)} as orgs`);
  return { stewardRow: !!r?.steward, orgs: r?.orgs ?? [] };
});

/** The hub's other tasks, which a steward may merge this one into. */
const mergeableInto = sharedRead("task.mergeable", async (hubId: string, taskId: string) =>
  db
    .select({ id: schema.tasks.id, title: schema.tasks.title })
    .from(schema.tasks)
    .where(and(eq(schema.tasks.hubId, hubId), isNull(schema.tasks.mergedIntoId), ne(schema.tasks.id, taskId)))
    .orderBy(asc(schema.tasks.title)),
);

async function loadTaskPage(
  hub: Hub,
  row: { task: Task; leadName: string | null; leadOrgName: string | null; leadOrgSlug: string | null },
  actor: PageViewer | null,
) {
  const taskId = row.task.id;
  // The reads are independent: they go out together.
  const [collaborators, history, standing] = await Promise.all([
    taskCollaboratorsOf(taskId),
    taskHistoryOf(taskId),
    actor ? viewerOnHub(hub.id, actor.id) : null,
  ]);
  const myOrgs = standing?.orgs ?? [];
  // A steward of the hub, or an admin (isSteward's rule); the discussion's check then asks no more.
  const steward = !!actor && !!standing && (standing.stewardRow || hasRole({ roles: await rolesOf(actor.id) }, "admin"));
  if (actor) primeShared("hub.steward", [hub.id, actor.id], steward);
  const others = steward ? await mergeableInto(hub.id, taskId) : [];
  return {
    hub,
    task: row.task,
    lead: row.task.leadUserId ? { id: row.task.leadUserId, name: row.leadName ?? "a former member", org: row.leadOrgName, orgSlug: row.leadOrgSlug } : null,
    collaborators,
    history,
    viewer: actor
      ? {
          verified: !!actor.emailVerifiedAt,
          isLead: row.task.leadUserId === actor.id,
          isCollaborator: collaborators.some((c) => c.userId === actor.id),
          isSteward: steward,
          organisations: myOrgs,
        }
      : null,
    // What this viewer may do: the page shows exactly these buttons; the guards use the same rule.
    can: taskCapabilities(
      row.task,
      actor
        ? {
            verified: !!actor.emailVerifiedAt,
            isLead: row.task.leadUserId === actor.id,
            isCollaborator: collaborators.some((c) => c.userId === actor.id),
            isSteward: steward,
            organisationCount: myOrgs.length,
          }
        : null,
    ),
    mergeCandidates: others,
    thread: await threadForPage(
      "task",
      taskId,
      actor ? { id: actor.id, name: actor.name ?? "", emailVerifiedAt: actor.emailVerifiedAt, roles: actor.roles ?? [] } : null,
    ),
  };
}

/** "Who is working on what": tasks an organisation leads or helps with, across hubs. */
export async function tasksOfOrganisation(orgId: string, hubId?: string) {
  const hubFilter = hubId ? sql`and t.hub_id = ${hubId}` : sql``;
  const rows = await db.execute<{
    id: string;
    title: string;
    status: TaskStatus;
    hub_slug: string;
    hub_title: string;
    role: "lead" | "helping";
    due_date: string | null;
  }>(sql`
    SELECT t.id, t.title, t.status, h.slug AS hub_slug, h.title AS hub_title, 'lead' AS role, t.due_date
      FROM tasks t JOIN hubs h ON h.id = t.hub_id
     WHERE t.lead_org_id = ${orgId} AND t.merged_into_id IS NULL ${hubFilter}
    UNION
    SELECT t.id, t.title, t.status, h.slug, h.title, 'helping', t.due_date
      FROM tasks t JOIN hubs h ON h.id = t.hub_id JOIN task_collaborators c ON c.task_id = t.id
     WHERE c.organisation_id = ${orgId} AND t.merged_into_id IS NULL
       AND (t.lead_org_id IS DISTINCT FROM ${orgId}) ${hubFilter}
    ORDER BY hub_title, title`);
  return rows.rows.map((r) => ({ id: r.id, title: r.title, status: r.status, hubSlug: r.hub_slug, hubTitle: r.hub_title, role: r.role, dueDate: r.due_date }));
}

/**
 * "Who is working on what" in one hub, in one query: each organisation's tasks there, led
 * or helped with, by organisation id (the hub page listed them with a query per organisation).
 */
/** A person's tasks: led and helped with (for /me and their data export). */
export async function tasksOfPerson(userId: string) {
  const rows = await db.execute<{
    id: string;
    title: string;
    status: TaskStatus;
    hub_slug: string;
    hub_title: string;
    role: "lead" | "helping";
    due_date: string | null;
    organisation: string | null;
  }>(sql`
    SELECT t.id, t.title, t.status, h.slug AS hub_slug, h.title AS hub_title, 'lead' AS role, t.due_date, o.name AS organisation
      FROM tasks t JOIN hubs h ON h.id = t.hub_id LEFT JOIN organisations o ON o.id = t.lead_org_id
     WHERE t.lead_user_id = ${userId} AND t.merged_into_id IS NULL
    UNION ALL
    SELECT t.id, t.title, t.status, h.slug, h.title, 'helping', t.due_date, o.name
      FROM tasks t JOIN hubs h ON h.id = t.hub_id JOIN task_collaborators c ON c.task_id = t.id
      LEFT JOIN organisations o ON o.id = c.organisation_id
     WHERE c.user_id = ${userId} AND t.merged_into_id IS NULL
    ORDER BY due_date NULLS LAST, title`);
  return rows.rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    hubSlug: r.hub_slug,
    hubTitle: r.hub_title,
    role: r.role,
    dueDate: r.due_date,
    organisation: r.organisation,
  }));
}

/** Organisations that lead or help with any live task (engagement: contributor). */
export async function contributingOrganisationIds(orgIds: string[], tx: DbOrTx = db): Promise<Set<string>> {
  if (!orgIds.length) return new Set();
  const leads = await tx
    .selectDistinct({ id: schema.tasks.leadOrgId })
    .from(schema.tasks)
    .where(and(inArray(schema.tasks.leadOrgId, orgIds), isNull(schema.tasks.mergedIntoId), ne(schema.tasks.status, "dropped")));
  const helps = await tx
    .selectDistinct({ id: schema.taskCollaborators.organisationId })
    .from(schema.taskCollaborators)
    .innerJoin(schema.tasks, eq(schema.tasks.id, schema.taskCollaborators.taskId))
    .where(and(inArray(schema.taskCollaborators.organisationId, orgIds), isNull(schema.tasks.mergedIntoId), ne(schema.tasks.status, "dropped")));
  return new Set([...leads, ...helps].map((r) => r.id).filter((x): x is string => !!x));
}
