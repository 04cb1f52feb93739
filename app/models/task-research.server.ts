import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { ResearchSkill } from "../../db/schema";
import type { Viewer } from "../auth/permissions.server";
import type { ResearcherInput } from "../forms/data.server";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { isUniqueViolation } from "../utils/db-errors.server";
import { done, FIELDS_MESSAGE, type Outcome, refuse } from "../utils/outcome";
import { resolveSourceNames, unknownSourcesMessage } from "./data-gaps.server";
import { SKILL_LABELS } from "./data-source-facets";
import { followIn } from "./follows.server";
import { notify } from "./notifications.server";
import { taskCapabilities } from "./task-capabilities";
import { historySentence } from "./task-history";
import { type Actor, activeOrganisations, change, nameOf, record, standingOf, type TaskResult } from "./tasks.server";

// A task's research side: the catalogue sources it draws on, the skills it asks for, and
// offers of help from researchers, which its lead accepts (the person joins as a
// collaborator) or declines with a message. Who may do each is `taskCapabilities`.

const skillWords = (skills: readonly ResearchSkill[]) => skills.map((s) => SKILL_LABELS[s].toLowerCase()).join(", ");

// ---------------------------------------------------------------- sources

/** Links catalogue entries to a task (by name or address); names not found are refused beside the field. */
export async function linkTaskSources(actor: Actor & { roles: readonly string[] }, taskId: string, names: string[]): Promise<TaskResult> {
  if (names.length === 0) return { ok: false, status: 400, message: FIELDS_MESSAGE, fieldErrors: { sources: "Write the name of a source from the catalogue" } };
  const { ids, unknown } = await resolveSourceNames(names, { ...actor, roles: [...actor.roles] as Viewer["roles"] });
  if (unknown.length) return { ok: false, status: 400, message: FIELDS_MESSAGE, fieldErrors: { sources: unknownSourcesMessage(unknown) } };
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    if (!taskCapabilities(task, who).linkSources)
      return { ok: false, status: 403, message: "Only the people working on this task and the hub's stewards can link its sources." };
    const added = await tx
      .insert(schema.taskSources)
      .values(ids.map((sourceId) => ({ taskId, sourceId, linkedBy: actor.id })))
      .onConflictDoNothing()
      .returning({ sourceId: schema.taskSources.sourceId });
    if (!added.length) return { ok: true, message: "Those sources are linked already." };
    const named = await tx
      .select({ name: schema.dataSources.name })
      .from(schema.dataSources)
      .where(
        inArray(
          schema.dataSources.id,
          added.map((a) => a.sourceId),
        ),
      );
    const summary = historySentence.linkedSources(await nameOf(tx, actor.id), named.map((n) => n.name).sort());
    await record(tx, taskId, actor.id, "sources_linked", summary);
    return {
      ok: true,
      message: added.length === 1 ? "The source is linked." : `${added.length} sources are linked.`,
      event: { kind: "sources", summary, actorId: actor.id },
    };
  });
}

export async function unlinkTaskSource(actor: Actor, taskId: string, slug: string): Promise<TaskResult> {
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    if (!taskCapabilities(task, who).linkSources)
      return { ok: false, status: 403, message: "Only the people working on this task and the hub's stewards can unlink its sources." };
    const [source] = await tx
      .select({ id: schema.dataSources.id, name: schema.dataSources.name })
      .from(schema.dataSources)
      .where(eq(schema.dataSources.slug, slug));
    const removed = source
      ? await tx
          .delete(schema.taskSources)
          .where(and(eq(schema.taskSources.taskId, taskId), eq(schema.taskSources.sourceId, source.id)))
          .returning()
      : [];
    if (!source || !removed.length) return { ok: true, message: "That source was not linked." };
    const summary = historySentence.unlinkedSource(await nameOf(tx, actor.id), source.name);
    await record(tx, taskId, actor.id, "source_unlinked", summary);
    return { ok: true, message: "The source is unlinked.", event: { kind: "sources", summary, actorId: actor.id } };
  });
}

// ---------------------------------------------------------------- skills asked for

export async function setTaskSkillAsks(actor: Actor, taskId: string, skills: ResearchSkill[]): Promise<TaskResult> {
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    if (!taskCapabilities(task, who).askSkills)
      return { ok: false, status: 403, message: "Only the lead and the hub's stewards can ask for help on this task." };
    const before = await tx.select({ skill: schema.taskSkillAsks.skill }).from(schema.taskSkillAsks).where(eq(schema.taskSkillAsks.taskId, taskId));
    const same = before.length === skills.length && before.every((b) => skills.includes(b.skill));
    if (same) return { ok: true, message: "Nothing has changed." };
    await tx.delete(schema.taskSkillAsks).where(eq(schema.taskSkillAsks.taskId, taskId));
    if (skills.length) await tx.insert(schema.taskSkillAsks).values(skills.map((skill) => ({ taskId, skill })));
    const summary = historySentence.askedForSkills(await nameOf(tx, actor.id), skillWords(skills));
    await record(tx, taskId, actor.id, "skills_asked", summary);
    return {
      ok: true,
      message: skills.length ? "The task now asks for help with those skills." : "The task no longer asks for help.",
      event: { kind: "skills", summary, actorId: actor.id },
    };
  });
}

// ---------------------------------------------------------------- offers of help

/** A verified person offers to help; the lead (and the hub's stewards) are told at once. */
export async function offerHelp(actor: Actor, taskId: string, message: string, orgId: string | null): Promise<TaskResult> {
  const orgs = await activeOrganisations(actor.id);
  const org = orgId ? orgs.find((o) => o.id === orgId) : null;
  if (orgId && !org) return { ok: false, status: 400, message: FIELDS_MESSAGE, fieldErrors: { orgId: "Choose one of your organisations, or none" } };
  try {
    return await change(taskId, async (tx, task) => {
      const who = await standingOf(tx, task, actor);
      if (!taskCapabilities(task, who).offerHelp) {
        return {
          ok: false,
          status: 409,
          message:
            who.isLead || who.isCollaborator ? "You are working on this task already." : "This task has no lead to offer help to: claim it or join it instead.",
        };
      }
      const [profile] = await tx.select().from(schema.researcherProfiles).where(eq(schema.researcherProfiles.userId, actor.id));
      if (!profile?.pledgedAt) return { ok: false, status: 409, message: "Say which skills you offer, and take the no-selling pledge, before offering help." };
      const id = newId();
      await tx.insert(schema.helpOffers).values({ id, taskId, userId: actor.id, organisationId: org?.id ?? null, message });
      const name = await nameOf(tx, actor.id);
      const [t] = await tx
        .select({ title: schema.tasks.title, slug: schema.hubs.slug, hubTitle: schema.hubs.title })
        .from(schema.tasks)
        .innerJoin(schema.hubs, eq(schema.hubs.id, schema.tasks.hubId))
        .where(eq(schema.tasks.id, taskId));
      await notify(tx, sql`select ${task.leadUserId}::text as user_id`, {
        kind: "help_offers",
        subjectKey: `help-offer:${id}`,
        spaceKind: "hub",
        spaceTitle: t.hubTitle,
        path: `/hubs/${t.slug}/tasks/${taskId}#offers`,
        text: `${name} offers to help with ${t.title}`,
      });
      return { ok: true, message: "Your offer is sent to the task's lead. You will hear when they answer." };
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: true, message: "You have offered to help already: the lead has your offer." };
    throw err;
  }
}

/** The lead (or a hub steward) accepts an offer (the person joins as a collaborator) or declines it with a message. */
export async function decideHelpOffer(actor: Actor, taskId: string, offerId: string, accept: boolean, reply: string): Promise<TaskResult> {
  return change(taskId, async (tx, task) => {
    const who = await standingOf(tx, task, actor);
    if (!taskCapabilities(task, who).decideOffers) return { ok: false, status: 403, message: "Only the lead and the hub's stewards answer offers of help." };
    const [offer] = await tx
      .update(schema.helpOffers)
      .set({ status: accept ? "accepted" : "declined", reply, decidedBy: actor.id, decidedAt: new Date() })
      .where(and(eq(schema.helpOffers.id, offerId), eq(schema.helpOffers.taskId, taskId), eq(schema.helpOffers.status, "open")))
      .returning();
    if (!offer) return { ok: false, status: 409, message: "That offer has been answered already, or was withdrawn." };
    const [t] = await tx
      .select({ title: schema.tasks.title, slug: schema.hubs.slug, hubTitle: schema.hubs.title })
      .from(schema.tasks)
      .innerJoin(schema.hubs, eq(schema.hubs.id, schema.tasks.hubId))
      .where(eq(schema.tasks.id, taskId));
    const tell = (text: string) =>
      notify(tx, sql`select ${offer.userId}::text as user_id`, {
        kind: "help_offers",
        subjectKey: `help-answer:${offer.id}`,
        spaceKind: "hub",
        spaceTitle: t.hubTitle,
        path: `/hubs/${t.slug}/tasks/${taskId}`,
        text,
      });
    const decider = await nameOf(tx, actor.id);
    if (!accept) {
      await tell(`${decider} answered your offer to help with ${t.title}${reply ? `: ${reply}` : ""}`);
      return { ok: true, message: "Your answer is sent. Nothing else has changed." };
    }
    const org = offer.organisationId
      ? (await tx.select({ name: schema.organisations.name }).from(schema.organisations).where(eq(schema.organisations.id, offer.organisationId)))[0]
      : undefined;
    await tx.insert(schema.taskCollaborators).values({ taskId, userId: offer.userId, organisationId: offer.organisationId }).onConflictDoNothing();
    await followIn(tx, offer.userId, "hub", task.hubId);
    const summary = historySentence.offerAccepted(await nameOf(tx, offer.userId), org?.name ?? null, decider);
    await record(tx, taskId, actor.id, "collaborator_joined", summary, { organisation: org?.name ?? null, offer: offer.id });
    await tell(`${decider} accepted your offer: you are a collaborator on ${t.title}${reply ? `. ${reply}` : ""}`);
    return { ok: true, message: "Accepted: they are a collaborator now.", event: { kind: "collaborator_joined", summary, actorId: actor.id } };
  });
}

// ---------------------------------------------------------------- what the task page shows

/**
 * The research side of a task page: its catalogue sources, entries its free text seems to
 * name (offered to link), the skills it asks for, people who offer them and have time, and
 * offers of help (all open ones to whoever decides; one's own to its maker).
 */
export async function taskResearchPanel(
  task: { id: string; dataSources: string; leadUserId: string | null },
  viewer: { id: string } | null,
  canDecide: boolean,
) {
  const linkedQ = db
    .select({ slug: schema.dataSources.slug, name: schema.dataSources.name })
    .from(schema.taskSources)
    .innerJoin(schema.dataSources, eq(schema.dataSources.id, schema.taskSources.sourceId))
    .where(and(eq(schema.taskSources.taskId, task.id), eq(schema.dataSources.status, "published")))
    .orderBy(asc(schema.dataSources.name));
  const text = task.dataSources.slice(0, 2000);
  const suggestedQ = text.trim()
    ? db
        .select({ slug: schema.dataSources.slug, name: schema.dataSources.name })
        .from(schema.dataSources)
        .where(
          and(
            eq(schema.dataSources.status, "published"),
            sql`(strpos(lower(${text}), lower(${schema.dataSources.name})) > 0 or word_similarity(${schema.dataSources.name}, ${text}) > 0.8)`,
            sql`not exists (select 1 from ${schema.taskSources} ts where ts.task_id = ${task.id} and ts.source_id = ${schema.dataSources.id})`,
          ),
        )
        .limit(5)
    : Promise.resolve([]);
  const asksQ = db.select({ skill: schema.taskSkillAsks.skill }).from(schema.taskSkillAsks).where(eq(schema.taskSkillAsks.taskId, task.id));
  const offersQ = viewer
    ? db
        .select({
          id: schema.helpOffers.id,
          userId: schema.helpOffers.userId,
          name: schema.users.name,
          org: schema.organisations.name,
          message: schema.helpOffers.message,
          at: schema.helpOffers.createdAt,
        })
        .from(schema.helpOffers)
        .innerJoin(schema.users, eq(schema.users.id, schema.helpOffers.userId))
        .leftJoin(schema.organisations, eq(schema.organisations.id, schema.helpOffers.organisationId))
        .where(
          and(eq(schema.helpOffers.taskId, task.id), eq(schema.helpOffers.status, "open"), canDecide ? undefined : eq(schema.helpOffers.userId, viewer.id)),
        )
        .orderBy(asc(schema.helpOffers.createdAt))
    : Promise.resolve([]);
  const [linked, suggested, asks, offers] = await Promise.all([linkedQ, suggestedQ, asksQ, offersQ]);
  const skills = asks.map((a) => a.skill);
  const helpers = skills.length ? await availableResearchers(skills, task.id) : [];
  return { linked, suggested, skills, helpers, offers: offers.map((o) => ({ ...o, at: o.at.toISOString(), mine: o.userId === viewer?.id })) };
}

/** People who offer any of these skills and have time now, not already on the task. */
async function availableResearchers(skills: ResearchSkill[], taskId: string, tx: DbOrTx = db) {
  const p = schema.researcherProfiles;
  const rows = await tx
    .select({ userId: p.userId, name: schema.users.name, skills: p.skills, terms: p.terms })
    .from(p)
    .innerJoin(schema.users, eq(schema.users.id, p.userId))
    .where(
      and(
        eq(p.available, true),
        sql`${p.pledgedAt} is not null`,
        sql`${p.skills} && ${sql.raw("ARRAY[")}${sql.join(
          skills.map((s) => sql`${s}`),
          sql`, `,
        )}${sql.raw("]::text[]")}`,
        sql`not exists (select 1 from ${schema.taskCollaborators} tc where tc.task_id = ${taskId} and tc.user_id = ${p.userId})`,
        sql`not exists (select 1 from ${schema.tasks} t where t.id = ${taskId} and t.lead_user_id = ${p.userId})`,
      ),
    )
    .orderBy(asc(schema.users.name))
    .limit(5);
  return rows.map((r) => ({ name: r.name, skills: r.skills.filter((s) => skills.includes(s)), terms: r.terms }));
}

// ---------------------------------------------------------------- researcher profiles

export async function researcherProfileOf(userId: string) {
  const [row] = await db.select().from(schema.researcherProfiles).where(eq(schema.researcherProfiles.userId, userId));
  return row ?? null;
}

/** A person says what they offer. Offering any skill needs the no-selling pledge; offering none removes the profile. */
export async function saveResearcherProfile(viewer: Actor, input: ResearcherInput): Promise<Outcome> {
  if (!viewer.emailVerifiedAt) return refuse(403, "Please confirm your email address first.");
  if (input.skills.length === 0) {
    await db.delete(schema.researcherProfiles).where(eq(schema.researcherProfiles.userId, viewer.id));
    return done("You no longer offer research skills.");
  }
  const values = { skills: input.skills, available: input.available, terms: input.terms, note: input.note, pledgedAt: new Date(), updatedAt: new Date() };
  await db
    .insert(schema.researcherProfiles)
    .values({ userId: viewer.id, ...values })
    .onConflictDoUpdate({ target: schema.researcherProfiles.userId, set: values });
  return done("Thank you: your skills are saved. Task leads who ask for them can now find you.");
}

/** The skills an organisation's people offer (its directory profile). */
export async function skillsOfOrganisation(organisationId: string) {
  return db
    .select({ name: schema.users.name, skills: schema.researcherProfiles.skills, available: schema.researcherProfiles.available })
    .from(schema.researcherProfiles)
    .innerJoin(schema.users, eq(schema.users.id, schema.researcherProfiles.userId))
    .innerJoin(
      schema.organisationMemberships,
      and(
        eq(schema.organisationMemberships.userId, schema.researcherProfiles.userId),
        eq(schema.organisationMemberships.organisationId, organisationId),
        eq(schema.organisationMemberships.status, "active"),
      ),
    )
    .orderBy(asc(schema.users.name));
}

/** A person's offers of help, for their export. */
export async function helpOffersOf(userId: string) {
  return db
    .select({
      task: schema.tasks.title,
      message: schema.helpOffers.message,
      status: schema.helpOffers.status,
      reply: schema.helpOffers.reply,
      createdAt: schema.helpOffers.createdAt,
    })
    .from(schema.helpOffers)
    .innerJoin(schema.tasks, eq(schema.tasks.id, schema.helpOffers.taskId))
    .where(eq(schema.helpOffers.userId, userId));
}
