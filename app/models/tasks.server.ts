import type { Done, Refused } from "../utils/outcome";
import { and, asc, desc, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { lockRow, transact } from "../utils/locks.server";
import { controlWindow, guardOff } from "../utils/test-controls.server";
import { db, schema, type DbOrTx, type Transaction } from "../utils/db.server";
import { newId } from "../utils/crypto.server";
import { publish } from "../utils/bus.server";
import { findHub, isSteward } from "./hubs.server";
import type { Hub, PlatformRole, Task, TaskStatus } from "../../db/schema";
import { STATUS_LABELS } from "./task-status";
import { taskCapabilities, type TaskStanding } from "./task-capabilities";
import { threadForPage } from "./threads.server";
import { historySentence } from "./task-history";
import { taskTexts } from "./rendered-text.server";

export { STATUS_LABELS };

// The research tracker's rules: who may claim, move, release, drop, reassign and merge
// tasks, and the single-lead guarantee. Every change writes a history row in the same
// transaction and, after the commit, a `task.changed` domain event for the live board.

export const BOARD_COLUMNS: TaskStatus[] = ["open", "claimed", "in_progress", "in_review", "published", "dropped"];
const ACTIVE: TaskStatus[] = ["claimed", "in_progress", "in_review"];
/** Forward moves the lead or a collaborator may make. */

export type Actor = { id: string; emailVerifiedAt: Date | null };
/** A page's viewer: an actor, with the name and roles a discussion needs. */
type PageViewer = Actor & { name?: string; roles?: PlatformRole[] };
export type TaskFailure = Refused<{ heldBy?: { name: string; organisation: string | null } }>;
export type TaskResult = Done | TaskFailure;

const notFound = (): TaskFailure => ({ ok: false, status: 404, message: "We could not find that task." });
const needVerified = (): TaskFailure => ({ ok: false, status: 403, message: "Please confirm your email address before working on research tasks." });

async function activeOrganisations(userId: string, tx: DbOrTx = db) {
  return tx
    .select({ id: schema.organisations.id, name: schema.organisations.name, slug: schema.organisations.slug })
    .from(schema.organisationMemberships)
    .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationMemberships.organisationId))
    .where(and(eq(schema.organisationMemberships.userId, userId), eq(schema.organisationMemberships.status, "active")))
    .orderBy(asc(schema.organisations.name));
}

/** The organisation a person acts for: the one they chose if it is theirs, else their first. */
async function actingOrganisation(userId: string, orgId: string | null | undefined, tx: DbOrTx = db) {
  const orgs = await activeOrganisations(userId, tx);
  if (orgId) return orgs.find((o) => o.id === orgId) ?? null;
  return orgs[0] ?? null;
}

async function lockTask(tx: Transaction, taskId: string): Promise<Task | null> {
  return lockRow(tx.select().from(schema.tasks).where(eq(schema.tasks.id, taskId)));
}

async function record(tx: DbOrTx, taskId: string, actorId: string | null, kind: string, summary: string, detail: Record<string, unknown> = {}) {
  await tx.insert(schema.taskHistory).values({ taskId, actorId, kind, summary, detail });
}

async function nameOf(tx: DbOrTx, userId: string | null) {
  if (!userId) return "a former member";
  const [u] = await tx.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, userId));
  return u?.name ?? "a former member";
}

async function orgName(tx: DbOrTx, orgId: string | null) {
  if (!orgId) return null;
  const [o] = await tx.select({ name: schema.organisations.name }).from(schema.organisations).where(eq(schema.organisations.id, orgId));
  return o?.name ?? null;
}

/** Where this person stands towards the task, read in the caller's transaction (for the guards). */
async function standingOf(tx: DbOrTx, task: Task, actor: Actor): Promise<TaskStanding> {
  const [collaborator, steward, orgs] = [await isCollaborator(tx, task.id, actor.id), await isSteward(task.hubId, actor.id, tx), await activeOrganisations(actor.id, tx)];
  return { verified: !!actor.emailVerifiedAt, isLead: task.leadUserId === actor.id, isCollaborator: collaborator, isSteward: steward, organisationCount: orgs.length };
}

async function isCollaborator(tx: DbOrTx, taskId: string, userId: string) {
  const [row] = await tx
    .select({ userId: schema.taskCollaborators.userId })
    .from(schema.taskCollaborators)
    .where(and(eq(schema.taskCollaborators.taskId, taskId), eq(schema.taskCollaborators.userId, userId)));
  return !!row;
}

/** Runs a change in one transaction and announces it after the commit. */
async function change(
  taskId: string,
  work: (tx: Transaction, task: Task) => Promise<TaskResult & { event?: { kind: string; summary: string; actorId: string | null } }>,
): Promise<TaskResult> {
  const result = await transact(async (tx) => {
    const task = await lockTask(tx, taskId);
    if (!task) return notFound();
    if (task.mergedIntoId) return { ok: false as const, status: 409 as const, message: "This task was merged into another one: work on that one instead." };
    const r = await work(tx, task);
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
export async function claimTask(
  actor: Actor,
  taskId: string,
  orgId: string | null,
): Promise<TaskResult> {
  if (!actor.emailVerifiedAt) return needVerified();
  const org = await actingOrganisation(actor.id, orgId);
  if (!org) {
    return { ok: false, status: 403, message: orgId ? "You can only claim for an organisation you belong to." : "Only someone who belongs to an organisation can lead a task. Ask to join yours in the directory first." };
  }
  const result = await transact(async (tx) => {
    let claimed: Task[];
    let seen: Task | undefined;
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
        [seen] = await tx.select().from(schema.tasks).where(eq(schema.tasks.id, taskId));
        if (seen && seen.status === "open" && !seen.leadUserId && !seen.mergedIntoId) {
          [seen] = await tx.select().from(schema.tasks).where(eq(schema.tasks.id, taskId)).for("update");
          if (seen && seen.status === "open" && !seen.leadUserId && !seen.mergedIntoId) claimed = await attempt();
        }
      }
    }
    if (claimed.length) {
      // A collaborator who takes the lead is no longer listed twice.
      await tx.delete(schema.taskCollaborators).where(and(eq(schema.taskCollaborators.taskId, taskId), eq(schema.taskCollaborators.userId, actor.id)));
      const who = await nameOf(tx, actor.id);
      await record(tx, taskId, actor.id, "claimed", historySentence.claimed(who, org.name), { organisation: org.name });
      return { ok: true as const, hubId: claimed[0].hubId, summary: `${who} of ${org.name} claimed it`, message: `You lead this task, for ${org.name}.` };
    }
    // The answer comes from the row as last read (under its lock when it had looked open).
    const task = seen ?? (await tx.select().from(schema.tasks).where(eq(schema.tasks.id, taskId)))[0];
    if (!task) return notFound();
    if (task.mergedIntoId) return { ok: false as const, status: 409 as const, message: "This task was merged into another one." };
    if (task.leadUserId === actor.id) return { ok: true as const, hubId: task.hubId, summary: null, message: "You already lead this task." };
    if (task.leadUserId) {
      const heldBy = { name: await nameOf(tx, task.leadUserId), organisation: await orgName(tx, task.leadOrgId) };
      return {
        ok: false as const,
        status: 409 as const,
        heldBy,
        message: `This task is already claimed by ${heldBy.name}${heldBy.organisation ? ` of ${heldBy.organisation}` : ""}. You can join them as a collaborator instead.`,
      };
    }
    return { ok: false as const, status: 409 as const, message: `This task is ${STATUS_LABELS[task.status].toLowerCase()}, so it cannot be claimed.` };
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
    if (!who.isCollaborator && !taskCapabilities(task, who).join) return { ok: false, status: 409, message: `This task is ${STATUS_LABELS[task.status].toLowerCase()}: there is nothing to join.` };
    const inserted = await tx
      .insert(schema.taskCollaborators)
      .values({ taskId, userId: actor.id, organisationId: org?.id ?? null })
      .onConflictDoNothing()
      .returning();
    if (!inserted.length) return { ok: true, message: "You are already a collaborator on this task." };
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
      return { ok: false, status: 409, message: `A task that is ${STATUS_LABELS[task.status].toLowerCase()} cannot become ${STATUS_LABELS[to].toLowerCase()}.` };
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
    return { ok: true, message: lead ? "You have released the task. It is open again." : `${previous} no longer leads this task. It is open again.`, event: { kind: "released", summary, actorId: actor.id } };
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
    if (!taskCapabilities(task, who).reassign) return { ok: false, status: 409, message: `A ${STATUS_LABELS[task.status].toLowerCase()} task cannot be reassigned.` };
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
        .set({ leadUserId: newLead.userId, leadOrgId: newLead.orgId, status: into.status === "open" ? (ACTIVE.includes(from.status) ? from.status : "claimed") : into.status, updatedAt: new Date() })
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
): Promise<{ ok: true; taskId: string; message: string } | TaskFailure | { ok: false; status: 409; similar: { id: string; title: string; status: TaskStatus }[]; message: string }> {
  if (!actor.emailVerifiedAt) return needVerified();
  const hub = await findHub(hubSlug);
  if (!hub) return { ok: false, status: 404, message: "We could not find that hub." };
  if (!opts.confirmNew) {
    const close = await similarTasks(hub.id, input.title, 5, CONFIRM_THRESHOLD);
    if (close.length) {
      return { ok: false, status: 409, similar: close.map(({ id, title, status }) => ({ id, title, status })), message: "Is it one of these? Similar tasks already exist in this hub." };
    }
  }
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(schema.tasks).values({ id, hubId: hub.id, ...input, ...taskTexts(input.description), createdBy: actor.id });
    await record(tx, id, actor.id, "created", historySentence.proposed(await nameOf(tx, actor.id)));
  });
  publish("task.changed", { hubId: hub.id, taskId: id, kind: "created", actorId: actor.id, summary: `New task: ${input.title}` });
  return { ok: true, taskId: id, message: "Your task has been added to the tracker. You can claim it now, or leave it for others." };
}

// ---------------------------------------------------------------- reading

const leadUser = alias(schema.users, "lead_user");
const leadOrg = alias(schema.organisations, "lead_org");

export type BoardFilters = { tag?: string; org?: string; status?: string; unclaimed?: boolean };

/** The tracker's tasks with their lead and helpers, filtered; merged tasks are left out. */
export async function boardTasks(hubId: string, filters: BoardFilters = {}) {
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
  const rows = await db
    .select({ task: schema.tasks, leadName: leadUser.name, leadOrgName: leadOrg.name, leadOrgSlug: leadOrg.slug })
    .from(schema.tasks)
    .leftJoin(leadUser, eq(leadUser.id, schema.tasks.leadUserId))
    .leftJoin(leadOrg, eq(leadOrg.id, schema.tasks.leadOrgId))
    .where(and(...where))
    .orderBy(sql`${schema.tasks.dueDate} asc nulls last`, asc(schema.tasks.title));
  const ids = rows.map((r) => r.task.id);
  const helpers = ids.length
    ? await db
        .select({ taskId: schema.taskCollaborators.taskId, name: schema.users.name, org: schema.organisations.name, orgSlug: schema.organisations.slug })
        .from(schema.taskCollaborators)
        .innerJoin(schema.users, eq(schema.users.id, schema.taskCollaborators.userId))
        .leftJoin(schema.organisations, eq(schema.organisations.id, schema.taskCollaborators.organisationId))
        .where(inArray(schema.taskCollaborators.taskId, ids))
        .orderBy(asc(schema.users.name))
    : [];
  return rows.map((r) => ({
    ...r.task,
    leadName: r.leadName,
    leadOrgName: r.leadOrgName,
    leadOrgSlug: r.leadOrgSlug,
    collaborators: helpers.filter((h) => h.taskId === r.task.id).map(({ name, org, orgSlug }) => ({ name, org, orgSlug })),
  }));
}

export async function tagsInHub(hubId: string): Promise<string[]> {
  const rows = await db.execute<{ tag: string }>(sql`SELECT DISTINCT unnest(tags) AS tag FROM tasks WHERE hub_id = ${hubId} AND merged_into_id IS NULL ORDER BY 1`);
  return rows.rows.map((r) => r.tag);
}

export async function getTaskPage(
  hubSlug: string,
  taskId: string,
  actor: PageViewer | null,
): Promise<null | { hub: Hub; redirectTo: string } | Awaited<ReturnType<typeof loadTaskPage>>> {
  const hub = await findHub(hubSlug);
  if (!hub) return null;
  const [row] = await db
    .select({ task: schema.tasks, leadName: leadUser.name, leadOrgName: leadOrg.name, leadOrgSlug: leadOrg.slug })
    .from(schema.tasks)
    .leftJoin(leadUser, eq(leadUser.id, schema.tasks.leadUserId))
    .leftJoin(leadOrg, eq(leadOrg.id, schema.tasks.leadOrgId))
    .where(and(eq(schema.tasks.id, taskId), eq(schema.tasks.hubId, hub.id)));
  if (!row) return null;
  if (row.task.mergedIntoId) return { hub, redirectTo: row.task.mergedIntoId };
  return loadTaskPage(hub, row, actor);
}

async function loadTaskPage(
  hub: Hub,
  row: { task: Task; leadName: string | null; leadOrgName: string | null; leadOrgSlug: string | null },
  actor: PageViewer | null,
) {
  const taskId = row.task.id;
  const collaborators = await db
    .select({ userId: schema.users.id, name: schema.users.name, org: schema.organisations.name, orgSlug: schema.organisations.slug, joinedAt: schema.taskCollaborators.joinedAt })
    .from(schema.taskCollaborators)
    .innerJoin(schema.users, eq(schema.users.id, schema.taskCollaborators.userId))
    .leftJoin(schema.organisations, eq(schema.organisations.id, schema.taskCollaborators.organisationId))
    .where(eq(schema.taskCollaborators.taskId, taskId))
    .orderBy(asc(schema.taskCollaborators.joinedAt));
  // History of this task and of every task merged into it.
  const merged = await db.select({ id: schema.tasks.id }).from(schema.tasks).where(eq(schema.tasks.mergedIntoId, taskId));
  const history = await db
    .select({ id: schema.taskHistory.id, summary: schema.taskHistory.summary, kind: schema.taskHistory.kind, createdAt: schema.taskHistory.createdAt, taskId: schema.taskHistory.taskId, actorId: schema.taskHistory.actorId })
    .from(schema.taskHistory)
    .where(inArray(schema.taskHistory.taskId, [taskId, ...merged.map((m) => m.id)]))
    .orderBy(desc(schema.taskHistory.createdAt), desc(schema.taskHistory.id));
  const steward = actor ? await isSteward(hub.id, actor.id) : false;
  const myOrgs = actor ? await activeOrganisations(actor.id) : [];
  const others = steward
    ? await db
        .select({ id: schema.tasks.id, title: schema.tasks.title })
        .from(schema.tasks)
        .where(and(eq(schema.tasks.hubId, hub.id), isNull(schema.tasks.mergedIntoId), ne(schema.tasks.id, taskId)))
        .orderBy(asc(schema.tasks.title))
    : [];
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
    thread: await threadForPage("task", taskId, actor ? { id: actor.id, name: actor.name ?? "", emailVerifiedAt: actor.emailVerifiedAt, roles: actor.roles ?? [] } : null),
  };
}

/** "Who is working on what": tasks an organisation leads or helps with, across hubs. */
export async function tasksOfOrganisation(orgId: string, hubId?: string) {
  const hubFilter = hubId ? sql`and t.hub_id = ${hubId}` : sql``;
  const rows = await db.execute<{ id: string; title: string; status: TaskStatus; hub_slug: string; hub_title: string; role: "lead" | "helping"; due_date: string | null }>(sql`
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
export async function workByOrganisationInHub(hubId: string) {
  const rows = await db.execute<{ org_id: string; id: string; title: string; status: TaskStatus; role: "lead" | "helping"; due_date: string | null }>(sql`
    SELECT t.lead_org_id AS org_id, t.id, t.title, t.status, 'lead' AS role, t.due_date
      FROM tasks t
     WHERE t.hub_id = ${hubId} AND t.merged_into_id IS NULL AND t.lead_org_id IS NOT NULL
    UNION
    SELECT c.organisation_id, t.id, t.title, t.status, 'helping', t.due_date
      FROM tasks t JOIN task_collaborators c ON c.task_id = t.id
     WHERE t.hub_id = ${hubId} AND t.merged_into_id IS NULL AND c.organisation_id IS NOT NULL
       AND (t.lead_org_id IS DISTINCT FROM c.organisation_id)
    ORDER BY title`);
  const byOrg = new Map<string, { id: string; title: string; status: TaskStatus; role: "lead" | "helping"; dueDate: string | null }[]>();
  for (const r of rows.rows) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), { id: r.id, title: r.title, status: r.status, role: r.role, dueDate: r.due_date }]);
  return byOrg;
}

/** A person's tasks: led and helped with (for /me and their data export). */
export async function tasksOfPerson(userId: string) {
  const rows = await db.execute<{ id: string; title: string; status: TaskStatus; hub_slug: string; hub_title: string; role: "lead" | "helping"; due_date: string | null; organisation: string | null }>(sql`
    SELECT t.id, t.title, t.status, h.slug AS hub_slug, h.title AS hub_title, 'lead' AS role, t.due_date, o.name AS organisation
      FROM tasks t JOIN hubs h ON h.id = t.hub_id LEFT JOIN organisations o ON o.id = t.lead_org_id
     WHERE t.lead_user_id = ${userId} AND t.merged_into_id IS NULL
    UNION ALL
    SELECT t.id, t.title, t.status, h.slug, h.title, 'helping', t.due_date, o.name
      FROM tasks t JOIN hubs h ON h.id = t.hub_id JOIN task_collaborators c ON c.task_id = t.id
      LEFT JOIN organisations o ON o.id = c.organisation_id
     WHERE c.user_id = ${userId} AND t.merged_into_id IS NULL
    ORDER BY due_date NULLS LAST, title`);
  return rows.rows.map((r) => ({ id: r.id, title: r.title, status: r.status, hubSlug: r.hub_slug, hubTitle: r.hub_title, role: r.role, dueDate: r.due_date, organisation: r.organisation }));
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
