import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Task, TaskStatus } from "../../db/schema";
import { publish } from "../utils/bus.server";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, schema, type Transaction } from "../utils/db.server";
import { inTransaction, lockRow, transact } from "../utils/locks.server";
import type { Done, Refused } from "../utils/outcome";
import { controlWindow, guardOff } from "../utils/test-controls.server";
import { followIn } from "./follows.server";
import { findHub, isSteward, standingInHub } from "./hubs.server";
import { hubFollowers, notify, taskPeople } from "./notifications.server";
import { taskTexts } from "./rendered-text.server";
import { type TaskStanding, taskCapabilities } from "./task-capabilities";
import { historySentence } from "./task-history";
import { STATUS_LABELS } from "./task-status";

export { STATUS_LABELS };

// The research tracker's rules: who may claim, move, release, drop, reassign and merge
// tasks, and the single-lead guarantee. Every change writes a history row in the same
// transaction and, after the commit, a `task.changed` domain event for the live board.

export const BOARD_COLUMNS: TaskStatus[] = ["open", "claimed", "in_progress", "in_review", "published", "dropped"];
const ACTIVE: TaskStatus[] = ["claimed", "in_progress", "in_review"];
/** Forward moves the lead or a collaborator may make. */

export type Actor = { id: string; emailVerifiedAt: Date | null };
export type TaskFailure = Refused<{ heldBy?: { name: string; organisation: string | null } }>;
export type TaskResult = Done | TaskFailure;

const leadUser = alias(schema.users, "lead_user");
const leadOrg = alias(schema.organisations, "lead_org");

const notFound = (): TaskFailure => ({ ok: false, status: 404, message: "We could not find that task." });
const needVerified = (): TaskFailure => ({ ok: false, status: 403, message: "Please confirm your email address before working on research tasks." });

/** The organisations a person actively belongs to, by name. */
export async function activeOrganisations(userId: string, tx: DbOrTx = db) {
  return tx
    .select({ id: schema.organisations.id, name: schema.organisations.name, slug: schema.organisations.slug })
    .from(schema.organisationMemberships)
    .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationMemberships.organisationId))
    .where(and(eq(schema.organisationMemberships.userId, userId), eq(schema.organisationMemberships.status, "active")))
    .orderBy(asc(schema.organisations.name));
}

/** The organisation a person acts for: the one they chose if it is theirs, else their first. */
/**
 * A person's active organisations as JSON, by name (as `activeOrganisations` lists them),
 * for statements that read them beside other things.
 */
export const activeOrganisationsJson = (userId: string) =>
  sql`coalesce((select json_agg(json_build_object('id', o.id, 'name', o.name, 'slug', o.slug) order by o.name)
                  from ${schema.organisationMemberships} m join ${schema.organisations} o on o.id = m.organisation_id
                 where m.user_id = ${userId} and m.status = 'active'), '[]'::json)`;

async function actingOrganisation(userId: string, orgId: string | null | undefined, tx: DbOrTx = db) {
  const orgs = await activeOrganisations(userId, tx);
  if (orgId) return orgs.find((o) => o.id === orgId) ?? null;
  return orgs[0] ?? null;
}

async function lockTask(tx: Transaction, taskId: string): Promise<Task | null> {
  return lockRow(tx.select().from(schema.tasks).where(eq(schema.tasks.id, taskId)));
}

export async function record(tx: DbOrTx, taskId: string, actorId: string | null, kind: string, summary: string, detail: Record<string, unknown> = {}) {
  await tx.insert(schema.taskHistory).values({ taskId, actorId, kind, summary, detail });
}

export async function nameOf(tx: DbOrTx, userId: string | null) {
  if (!userId) return "a former member";
  const [u] = await tx.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, userId));
  return u?.name ?? "a former member";
}

/** Who holds a task, for the person told "already claimed by …": both names in one statement. */
/**
 * Why this person cannot claim the task as it reads now, or null if it reads claimable:
 * merged away, theirs already (not a failure), led by someone else (who, and for whom), or
 * past being open.
 */
function unclaimable(task: ClaimTask, actorId: string, heldBy: { name: string; organisation: string | null } | null) {
  if (task.mergedIntoId) return { ok: false as const, status: 409 as const, message: "This task was merged into another one." };
  if (task.leadUserId === actorId) return { ok: true as const, hubId: task.hubId, summary: null, message: "You already lead this task." };
  if (task.leadUserId) {
    const lead = heldBy ?? { name: "a former member", organisation: null };
    return {
      ok: false as const,
      status: 409 as const,
      heldBy: lead,
      message: `This task is already claimed by ${lead.name}${lead.organisation ? ` of ${lead.organisation}` : ""}. You can join them as a collaborator instead.`,
    };
  }
  if (task.status !== "open")
    return { ok: false as const, status: 409 as const, message: `This task is ${STATUS_LABELS[task.status].toLowerCase()}, so it cannot be claimed.` };
  return null;
}

type ClaimTask = Pick<Task, "status" | "leadUserId" | "mergedIntoId" | "hubId">;

/**
 * What a claim needs to know before it tries, in one plain read: the person's active
 * organisations (by name, as `activeOrganisations` lists them), and the task with its
 * lead's and their organisation's names (null when there is no such task).
 */
async function claimFacts(taskId: string, actorId: string) {
  const {
    rows: [r],
  } = await db.execute<{
    orgs: { id: string; name: string; slug: string }[];
    task: (ClaimTask & { leadName: string | null; leadOrg: string | null }) | null;
  }>(sql`select
      ${activeOrganisationsJson(actorId)} as orgs,
      (select json_build_object('status', t.status, 'leadUserId', t.lead_user_id, 'mergedIntoId', t.merged_into_id, 'hubId', t.hub_id,
                                'leadName', lu.name, 'leadOrg', lo.name)
         from tasks t left join users lu on lu.id = t.lead_user_id left join organisations lo on lo.id = t.lead_org_id
        where t.id = ${taskId}) as task`);
  const task = r?.task ?? null;
  return {
    orgs: r?.orgs ?? [],
    task,
    heldBy: task?.leadUserId ? { name: task.leadName ?? "a former member", organisation: task.leadOrg } : null,
  };
}

async function leadAndOrganisationNames(tx: DbOrTx, userId: string, orgId: string | null) {
  const {
    rows: [r],
  } = await tx.execute<{ name: string | null; organisation: string | null }>(
    sql`select (select name from users where id = ${userId}) as name, (select name from organisations where id = ${orgId}) as organisation`,
  );
  return { name: r?.name ?? "a former member", organisation: r?.organisation ?? null };
}

/** Where this person stands towards the task, read in the caller's transaction (for the guards). */
export async function standingOf(tx: DbOrTx, task: Task, actor: Actor): Promise<TaskStanding> {
  const [collaborator, steward, orgs] = [
    await isCollaborator(tx, task.id, actor.id),
    await isSteward(task.hubId, actor.id, tx),
    await activeOrganisations(actor.id, tx),
  ];
  return {
    verified: !!actor.emailVerifiedAt,
    isLead: task.leadUserId === actor.id,
    isCollaborator: collaborator,
    isSteward: steward,
    organisationCount: orgs.length,
  };
}

async function isCollaborator(tx: DbOrTx, taskId: string, userId: string) {
  const [row] = await tx
    .select({ userId: schema.taskCollaborators.userId })
    .from(schema.taskCollaborators)
    .where(and(eq(schema.taskCollaborators.taskId, taskId), eq(schema.taskCollaborators.userId, userId)));
  return !!row;
}

/** Changes a hub's followers hear of: a new task, a claim, one needing a lead again, one published. */
const HUB_NEWS = new Set(["created", "claimed", "released", "reopened"]);

/**
 * Notifies, in the change's transaction, the task's lead and collaborators (every change
 * but their own) and the hub's followers (the changes in HUB_NEWS, and publication).
 */
async function tellOfTaskChange(tx: DbOrTx, taskId: string, kind: string, summary: string, actorId: string | null) {
  const {
    rows: [t],
  } = await tx.execute<{ title: string; status: TaskStatus; hub_id: string; slug: string; hub_title: string }>(
    sql`select t.title, t.status, h.id as hub_id, h.slug, h.title as hub_title from tasks t join hubs h on h.id = t.hub_id where t.id = ${taskId}`,
  );
  if (!t) return;
  const base = { spaceKind: "hub" as const, spaceTitle: t.hub_title, path: `/hubs/${t.slug}/tasks/${taskId}` };
  const text = kind === "created" ? `New task: ${t.title}` : `${t.title}: ${summary}`;
  await notify(tx, taskPeople(taskId), { ...base, kind: "my_tasks", subjectKey: `my-task:${taskId}`, text }, actorId);
  if (HUB_NEWS.has(kind) || (kind === "status" && t.status === "published")) {
    await notify(
      tx,
      sql`select user_id from (${hubFollowers(t.hub_id)}) f where user_id not in (select user_id from (${taskPeople(taskId)}) p where user_id is not null)`,
      { ...base, kind: "hub_tasks", subjectKey: `task:${taskId}`, text },
      actorId,
    );
  }
}

/** Runs a change in one transaction and announces it after the commit. */
export async function change(
  taskId: string,
  work: (tx: Transaction, task: Task) => Promise<TaskResult & { event?: { kind: string; summary: string; actorId: string | null } }>,
): Promise<TaskResult> {
  const result = await transact(async (tx) => {
    const task = await lockTask(tx, taskId);
    if (!task) return notFound();
    if (task.mergedIntoId) return { ok: false as const, status: 409 as const, message: "This task was merged into another one: work on that one instead." };
    const r = await work(tx, task);
    if (r.ok && r.event) await tellOfTaskChange(tx, taskId, r.event.kind, r.event.summary, r.event.actorId);
    return { ...r, hubId: task.hubId };
  });
  if (result.ok && "event" in result && result.event) {
    publish("task.changed", { hubId: result.hubId, taskId, ...result.event });
  }
  if (result.ok) return { ok: true, message: result.message };
  const { hubId: _h, ...failure } = result as TaskFailure & { hubId?: string; event?: unknown };
  delete (failure as { event?: unknown }).event;
  return failure;
}

// ---------------------------------------------------------------- claiming

/**
 * Takes the lead of an open task. The guard is one conditional UPDATE: the database lets
 * exactly one of any number of concurrent claims match `status = 'open' AND lead IS NULL`.
 * Its control run (guard "single-lead" off) reads first and writes after, to show the
 * race the guard prevents.
 */
export async function claimTask(actor: Actor, taskId: string, orgId: string | null): Promise<TaskResult> {
  if (!actor.emailVerifiedAt) return needVerified();
  // The person's organisations and the task as it reads now, in one plain read.
  const facts = guardOff("single-lead") ? null : await claimFacts(taskId, actor.id);
  const orgs = facts ? facts.orgs : await activeOrganisations(actor.id);
  const org = orgId ? (orgs.find((o) => o.id === orgId) ?? null) : (orgs[0] ?? null);
  if (!org) {
    return {
      ok: false,
      status: 403,
      message: orgId
        ? "You can only claim for an organisation you belong to."
        : "Only someone who belongs to an organisation can lead a task. Ask to join yours in the directory first.",
    };
  }
  // A claim plainly lost already (the task led, merged or no longer open) is answered from
  // that plain read with no transaction, as a lost race always was (below): the guard is
  // the conditional UPDATE, which only a task that reads open needs.
  if (facts) {
    if (!facts.task) return notFound();
    const settled = unclaimable(facts.task, actor.id, facts.heldBy);
    if (settled) return settled.ok ? { ok: true, message: settled.message } : settled;
  }
  const result = await transact(async (tx) => {
    let claimed: Task[];
    let seen: Task | undefined;
    // The lead's names as read with `seen` (undefined: not read with it).
    let seenHeldBy: { name: string; organisation: string | null } | null | undefined;
    if (guardOff("single-lead")) {
      const [seen] = await tx.select().from(schema.tasks).where(eq(schema.tasks.id, taskId));
      if (seen?.status !== "open" || seen.leadUserId || seen.mergedIntoId) claimed = [];
      else {
        await controlWindow();
        claimed = await tx
          .update(schema.tasks)
          .set({ status: "claimed", leadUserId: actor.id, leadOrgId: org.id, updatedAt: new Date() })
          .where(eq(schema.tasks.id, taskId))
          .returning();
      }
    } else {
      const attempt = () =>
        tx
          .update(schema.tasks)
          .set({ status: "claimed", leadUserId: actor.id, leadOrgId: org.id, updatedAt: new Date() })
          .where(and(eq(schema.tasks.id, taskId), eq(schema.tasks.status, "open"), isNull(schema.tasks.leadUserId), isNull(schema.tasks.mergedIntoId)))
          .returning();
      claimed = await attempt();
      if (!claimed.length) {
        // Lost, or a release committed just after our UPDATE looked: if the task reads open
        // now, take its row lock (waiting for any change in flight) and try once more; the
        // answer below is then read under that lock, so it is the truth. Only this rare
        // case locks: a loser of an ordinary race is answered from a plain read.
        const [row] = await tx
          .select({ task: schema.tasks, leadName: leadUser.name, leadOrg: leadOrg.name })
          .from(schema.tasks)
          .leftJoin(leadUser, eq(leadUser.id, schema.tasks.leadUserId))
          .leftJoin(leadOrg, eq(leadOrg.id, schema.tasks.leadOrgId))
          .where(eq(schema.tasks.id, taskId));
        seen = row?.task;
        seenHeldBy = row?.task.leadUserId ? { name: row.leadName ?? "a former member", organisation: row.leadOrg } : null;
        if (seen && seen.status === "open" && !seen.leadUserId && !seen.mergedIntoId) {
          [seen] = await tx.select().from(schema.tasks).where(eq(schema.tasks.id, taskId)).for("update");
          seenHeldBy = undefined;
          if (seen && seen.status === "open" && !seen.leadUserId && !seen.mergedIntoId) claimed = await attempt();
        }
      }
    }
    if (claimed.length) {
      // A collaborator who takes the lead is no longer listed twice.
      await tx.delete(schema.taskCollaborators).where(and(eq(schema.taskCollaborators.taskId, taskId), eq(schema.taskCollaborators.userId, actor.id)));
      const who = await nameOf(tx, actor.id);
      await record(tx, taskId, actor.id, "claimed", historySentence.claimed(who, org.name), { organisation: org.name });
      await followIn(tx, actor.id, "hub", claimed[0].hubId);
      await tellOfTaskChange(tx, taskId, "claimed", `${who} of ${org.name} claimed it`, actor.id);
      return { ok: true as const, hubId: claimed[0].hubId, summary: `${who} of ${org.name} claimed it`, message: `You lead this task, for ${org.name}.` };
    }
    // The answer comes from the row as last read (under its lock when it had looked open).
    const task = seen ?? (await tx.select().from(schema.tasks).where(eq(schema.tasks.id, taskId)))[0];
    if (!task) return notFound();
    const heldBy =
      task.leadUserId && task.leadUserId !== actor.id
        ? task === seen && seenHeldBy !== undefined
          ? seenHeldBy
          : await leadAndOrganisationNames(tx, task.leadUserId, task.leadOrgId)
        : null;
    return unclaimable(task, actor.id, heldBy) ?? notFound();
  });
  if (result.ok && result.summary) publish("task.changed", { hubId: result.hubId, taskId, kind: "claimed", actorId: actor.id, summary: result.summary });
  if (result.ok) return { ok: true, message: result.message };
  return result;
}

export async function joinAsCollaborator(actor: Actor, taskId: string, orgId: string | null): Promise<TaskResult> {
  if (!actor.emailVerifiedAt) return needVerified();
  const org = orgId ? await actingOrganisation(actor.id, orgId) : await actingOrganisation(actor.id, null);
  if (orgId && !org) return { ok: false, status: 403, message: "You can only help for an organisation you belong to." };
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    if (who.isLead) return { ok: false, status: 409, message: "You lead this task already." };
    if (!who.isCollaborator && !taskCapabilities(task, who).join)
      return { ok: false, status: 409, message: `This task is ${STATUS_LABELS[task.status].toLowerCase()}: there is nothing to join.` };
    const inserted = await tx
      .insert(schema.taskCollaborators)
      .values({ taskId, userId: actor.id, organisationId: org?.id ?? null })
      .onConflictDoNothing()
      .returning();
    if (!inserted.length) return { ok: true, message: "You are already a collaborator on this task." };
    await followIn(tx, actor.id, "hub", task.hubId);
    const name = await nameOf(tx, actor.id);
    const summary = historySentence.joined(name, org?.name ?? null);
    await record(tx, taskId, actor.id, "collaborator_joined", summary, { organisation: org?.name ?? null });
    return { ok: true, message: "You are now a collaborator on this task.", event: { kind: "collaborator_joined", summary, actorId: actor.id } };
  });
}

export async function leaveCollaboration(actor: Actor, taskId: string): Promise<TaskResult> {
  return change(taskId, async (tx) => {
    const removed = await tx
      .delete(schema.taskCollaborators)
      .where(and(eq(schema.taskCollaborators.taskId, taskId), eq(schema.taskCollaborators.userId, actor.id)))
      .returning();
    if (!removed.length) return { ok: true, message: "You were not a collaborator on this task." };
    const summary = historySentence.left(await nameOf(tx, actor.id));
    await record(tx, taskId, actor.id, "collaborator_left", summary);
    return { ok: true, message: "You are no longer a collaborator on this task.", event: { kind: "collaborator_left", summary, actorId: actor.id } };
  });
}

// ---------------------------------------------------------------- status changes

const validUrl = (u: string | null | undefined) => !!u && /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(u) && u.length <= 500;

/** Moves a task forward: claimed → in progress → in review → published (with an output link). */
export async function advanceTask(actor: Actor, taskId: string, to: TaskStatus, outputUrl: string | null): Promise<TaskResult> {
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    if (!who.isLead && !who.isCollaborator) {
      return { ok: false, status: 403, message: "Only the lead or a collaborator can move this task on." };
    }
    if (taskCapabilities(task, who).advance !== to) {
      return {
        ok: false,
        status: 409,
        message: `A task that is ${STATUS_LABELS[task.status].toLowerCase()} cannot become ${STATUS_LABELS[to].toLowerCase()}.`,
      };
    }
    if (to === "published" && !validUrl(outputUrl)) {
      return { ok: false, status: 400, message: "Add the link to the published output (starting with https://) to mark it published." };
    }
    await tx
      .update(schema.tasks)
      .set({ status: to, outputUrl: to === "published" ? outputUrl : task.outputUrl, updatedAt: new Date() })
      .where(eq(schema.tasks.id, taskId));
    const summary = historySentence.moved(await nameOf(tx, actor.id), task.status, to);
    await record(tx, taskId, actor.id, "status", summary, { from: task.status, to, ...(to === "published" ? { outputUrl } : {}) });
    return { ok: true, message: `The task is now ${STATUS_LABELS[to].toLowerCase()}.`, event: { kind: "status", summary, actorId: actor.id } };
  });
}

/** The lead releases the task, or a steward unassigns it: back to open, collaborators stay. */
export async function releaseTask(actor: Actor, taskId: string): Promise<TaskResult> {
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    const lead = who.isLead;
    if (!lead && !who.isSteward) return { ok: false, status: 403, message: "Only the lead or a hub steward can release this task." };
    if (!taskCapabilities(task, who).release) {
      return { ok: false, status: 409, message: `A task that is ${STATUS_LABELS[task.status].toLowerCase()} cannot be released.` };
    }
    const previous = await nameOf(tx, task.leadUserId);
    await tx.update(schema.tasks).set({ status: "open", leadUserId: null, leadOrgId: null, updatedAt: new Date() }).where(eq(schema.tasks.id, taskId));
    const summary = lead ? historySentence.released(previous) : historySentence.unassigned(await nameOf(tx, actor.id), previous);
    await record(tx, taskId, actor.id, lead ? "released" : "unassigned", summary, { previousLead: previous });
    return {
      ok: true,
      message: lead ? "You have released the task. It is open again." : `${previous} no longer leads this task. It is open again.`,
      event: { kind: "released", summary, actorId: actor.id },
    };
  });
}

/** Any status → dropped (lead or steward), with a reason. */
export async function dropTask(actor: Actor, taskId: string, reason: string): Promise<TaskResult> {
  const why = reason.trim();
  if (!why) return { ok: false, status: 400, message: "Give a reason for dropping the task." };
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    if (!who.isLead && !who.isSteward) return { ok: false, status: 403, message: "Only the lead or a hub steward can drop this task." };
    if (!taskCapabilities(task, who).drop) return { ok: false, status: 409, message: "This task is already dropped." };
    await tx.update(schema.tasks).set({ status: "dropped", updatedAt: new Date() }).where(eq(schema.tasks.id, taskId));
    const summary = historySentence.dropped(await nameOf(tx, actor.id), why);
    await record(tx, taskId, actor.id, "dropped", summary, { from: task.status, reason: why });
    return { ok: true, message: "The task has been dropped.", event: { kind: "dropped", summary, actorId: actor.id } };
  });
}

/** Dropped → open (lead or steward), with a reason. The lead is cleared: it is open to claim. */
export async function reopenTask(actor: Actor, taskId: string, reason: string): Promise<TaskResult> {
  const why = reason.trim();
  if (!why) return { ok: false, status: 400, message: "Give a reason for reopening the task." };
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    if (!who.isLead && !who.isSteward) return { ok: false, status: 403, message: "Only the lead or a hub steward can reopen this task." };
    if (!taskCapabilities(task, who).reopen) return { ok: false, status: 409, message: "Only a dropped task can be reopened." };
    await tx.update(schema.tasks).set({ status: "open", leadUserId: null, leadOrgId: null, updatedAt: new Date() }).where(eq(schema.tasks.id, taskId));
    const summary = historySentence.reopened(await nameOf(tx, actor.id), why);
    await record(tx, taskId, actor.id, "reopened", summary, { reason: why });
    return { ok: true, message: "The task is open again.", event: { kind: "reopened", summary, actorId: actor.id } };
  });
}

/** A steward hands the lead to someone else (a verified person, for one of their organisations). */
export async function reassignLead(actor: Actor, taskId: string, newLeadId: string, orgId: string | null): Promise<TaskResult> {
  const [person] = await db.select().from(schema.users).where(eq(schema.users.id, newLeadId));
  if (!person) return { ok: false, status: 404, message: "That person no longer exists." };
  if (!person.emailVerifiedAt) return { ok: false, status: 400, message: `${person.name} has not confirmed their email address, so cannot lead yet.` };
  const org = await actingOrganisation(person.id, orgId);
  if (!org) return { ok: false, status: 400, message: `${person.name} does not belong to that organisation (or to any), so cannot lead.` };
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    if (!who.isSteward) return { ok: false, status: 403, message: "Only a hub steward can reassign the lead." };
    if (!taskCapabilities(task, who).reassign)
      return { ok: false, status: 409, message: `A ${STATUS_LABELS[task.status].toLowerCase()} task cannot be reassigned.` };
    const previous = task.leadUserId ? await nameOf(tx, task.leadUserId) : null;
    await tx
      .update(schema.tasks)
      .set({ leadUserId: person.id, leadOrgId: org.id, status: task.status === "open" ? "claimed" : task.status, updatedAt: new Date() })
      .where(eq(schema.tasks.id, taskId));
    await tx.delete(schema.taskCollaborators).where(and(eq(schema.taskCollaborators.taskId, taskId), eq(schema.taskCollaborators.userId, person.id)));
    const summary = historySentence.reassigned(await nameOf(tx, actor.id), person.name, org.name, previous);
    await record(tx, taskId, actor.id, "reassigned", summary, { previousLead: previous, newLead: person.name, organisation: org.name });
    return { ok: true, message: `${person.name} of ${org.name} now leads this task.`, event: { kind: "reassigned", summary, actorId: actor.id } };
  });
}

/**
 * A steward merges a duplicate into another task of the same hub. The duplicate stays
 * (its page redirects, its history is shown with the survivor's); its lead and
 * collaborators carry over: the lead leads the survivor if it has none, else helps.
 */
export async function mergeTasks(actor: Actor, fromId: string, intoId: string): Promise<TaskResult> {
  if (fromId === intoId) return { ok: false, status: 400, message: "Choose another task to merge into." };
  const result = await transact(async (tx) => {
    // Lock both in a fixed order so two merges cannot deadlock.
    const [a, b] = [fromId, intoId].sort();
    const locked = [await lockTask(tx, a), await lockTask(tx, b)];
    const from = locked.find((t) => t?.id === fromId);
    const into = locked.find((t) => t?.id === intoId);
    if (!from || !into) return notFound();
    if (from.hubId !== into.hubId) return { ok: false as const, status: 400 as const, message: "Only tasks in the same hub can be merged." };
    if (!(await isSteward(from.hubId, actor.id, tx))) return { ok: false as const, status: 403 as const, message: "Only a hub steward can merge tasks." };
    if (from.mergedIntoId || into.mergedIntoId) return { ok: false as const, status: 409 as const, message: "One of these tasks has already been merged." };

    const people: { userId: string; organisationId: string | null }[] = await tx
      .select({ userId: schema.taskCollaborators.userId, organisationId: schema.taskCollaborators.organisationId })
      .from(schema.taskCollaborators)
      .where(eq(schema.taskCollaborators.taskId, fromId));
    let newLead: { userId: string; orgId: string | null } | null = null;
    if (from.leadUserId) {
      if (!into.leadUserId && (into.status === "open" || ACTIVE.includes(into.status))) newLead = { userId: from.leadUserId, orgId: from.leadOrgId };
      else people.push({ userId: from.leadUserId, organisationId: from.leadOrgId });
    }
    if (newLead) {
      await tx
        .update(schema.tasks)
        .set({
          leadUserId: newLead.userId,
          leadOrgId: newLead.orgId,
          status: into.status === "open" ? (ACTIVE.includes(from.status) ? from.status : "claimed") : into.status,
          updatedAt: new Date(),
        })
        .where(eq(schema.tasks.id, intoId));
    }
    const intoLead = newLead?.userId ?? into.leadUserId;
    for (const p of people) {
      if (p.userId === intoLead) continue;
      await tx.insert(schema.taskCollaborators).values({ taskId: intoId, userId: p.userId, organisationId: p.organisationId }).onConflictDoNothing();
    }
    await tx.update(schema.tasks).set({ mergedIntoId: intoId, updatedAt: new Date() }).where(eq(schema.tasks.id, fromId));
    const who = await nameOf(tx, actor.id);
    await record(tx, fromId, actor.id, "merged_away", historySentence.mergedAway(who, into.title), { into: intoId });
    const summary = historySentence.mergedIn(who, from.title);
    await record(tx, intoId, actor.id, "merged_in", summary, { from: fromId });
    return { ok: true as const, hubId: into.hubId, summary, message: `“${from.title}” has been merged into “${into.title}”.` };
  });
  if (!result.ok) return result;
  publish("task.changed", { hubId: result.hubId, taskId: intoId, kind: "merged", actorId: actor.id, summary: result.summary });
  return { ok: true, message: result.message };
}

// ---------------------------------------------------------------- proposing, with duplicate avoidance

// Similarity of a proposed title to existing ones: the better of whole-string trigram
// similarity and word similarity (so a short query matches a long title that contains it).
export const SUGGEST_THRESHOLD = 0.3;
export const CONFIRM_THRESHOLD = 0.45;

export async function similarTasks(hubId: string, title: string, limit = 5, threshold = SUGGEST_THRESHOLD) {
  const q = title.trim().slice(0, 200);
  if (q.length < 3) return [];
  const score = sql<number>`greatest(similarity(${schema.tasks.title}, ${q}), word_similarity(${q}, ${schema.tasks.title}))`;
  return db
    .select({ id: schema.tasks.id, title: schema.tasks.title, status: schema.tasks.status, score })
    .from(schema.tasks)
    .where(and(eq(schema.tasks.hubId, hubId), isNull(schema.tasks.mergedIntoId), sql`${score} >= ${threshold}`))
    .orderBy(desc(score))
    .limit(limit);
}

export type TaskInput = { title: string; question: string; description: string; dataSources: string; tags: string[]; dueDate: string | null };

export async function proposeTask(
  actor: Actor,
  hubSlug: string,
  input: TaskInput,
  opts: { confirmNew: boolean },
): Promise<
  | { ok: true; taskId: string; message: string }
  | TaskFailure
  | { ok: false; status: 409; similar: { id: string; title: string; status: TaskStatus }[]; message: string }
> {
  const hub = await findHub(hubSlug);
  if (!hub) return { ok: false, status: 404, message: "We could not find that hub." };
  if (!(await standingInHub(hub.id, actor)).can.propose) return needVerified();
  if (!opts.confirmNew) {
    const close = await similarTasks(hub.id, input.title, 5, CONFIRM_THRESHOLD);
    if (close.length) {
      return {
        ok: false,
        status: 409,
        similar: close.map(({ id, title, status }) => ({ id, title, status })),
        message: "Is it one of these? Similar tasks already exist in this hub.",
      };
    }
  }
  const id = newId();
  await inTransaction(async (tx) => {
    await tx.insert(schema.tasks).values({ id, hubId: hub.id, ...input, ...taskTexts(input.description), createdBy: actor.id });
    await record(tx, id, actor.id, "created", historySentence.proposed(await nameOf(tx, actor.id)));
    await tellOfTaskChange(tx, id, "created", "", actor.id);
  });
  publish("task.changed", { hubId: hub.id, taskId: id, kind: "created", actorId: actor.id, summary: `New task: ${input.title}` });
  return { ok: true, taskId: id, message: "Your task has been added to the tracker. You can claim it now, or leave it for others." };
}

/**
 * Account deletion: tasks the person leads go back to open (collaborators stay); finished
 * or dropped ones just lose the name. History rows lose the actor (ON DELETE SET NULL).
 */
export async function releaseTasksOfDeletedPerson(tx: Transaction, userId: string) {
  const led = await tx.select().from(schema.tasks).where(eq(schema.tasks.leadUserId, userId));
  for (const t of led) {
    const active = ACTIVE.includes(t.status);
    await tx
      .update(schema.tasks)
      .set({ leadUserId: null, leadOrgId: active ? null : t.leadOrgId, status: active ? "open" : t.status, updatedAt: new Date() })
      .where(eq(schema.tasks.id, t.id));
    if (active) await record(tx, t.id, null, "released", historySentence.leadLeftConvene());
  }
  return led.filter((t) => ACTIVE.includes(t.status)).map((t) => ({ hubId: t.hubId, taskId: t.id }));
}
