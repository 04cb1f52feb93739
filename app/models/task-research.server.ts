import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { GapStatus, HELP_TERMS, ResearchSkill } from "../../db/schema";
import type { Viewer } from "../auth/permissions.server";
import type { ResearcherInput } from "../forms/data.server";
import { newId } from "../utils/crypto.server";
import { db, schema } from "../utils/db.server";
import { isUniqueViolation } from "../utils/db-errors.server";
import { done, FIELDS_MESSAGE, type Outcome, refuse } from "../utils/outcome";
import { sharedRead } from "../utils/request-memo.server";
import { resolveSourceNames, unknownSourcesMessage } from "./data-gaps.server";
import { SKILL_LABELS } from "./data-source-facets";
import { followIn } from "./follows.server";
import { notify } from "./notifications.server";
import { taskCapabilities } from "./task-capabilities";
import { historySentence } from "./task-history";
import { type Actor, activeOrganisations, change, nameOf, record, standingOf, type TaskResult } from "./tasks.server";
import { gapVisibleTo, seer } from "./visibility.server";

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
 * The research side of a task page, in one statement (it goes out beside the page's own
 * reads, not after them): its catalogue sources, entries its free text seems to name
 * (offered to link), the skills it asks for, people who offer them and have time, the
 * open offers of help, the gaps raised at it that the viewer may see, and whether the
 * viewer has taken the pledge. Offers come back whole: `offersFor` keeps what a viewer may see.
 */
export function taskResearchPanel(taskId: string, viewer: { id: string; roles: readonly string[] } | null) {
  return researchPanel(taskId, viewer ? { id: viewer.id, roles: [...viewer.roles].sort() } : null);
}

/** Shared between requests while the data is unchanged, per task and viewer (sharedRead). */
const researchPanel = sharedRead("task.research", async (taskId: string, viewer: { id: string; roles: string[] } | null) => {
  const gapsVisible = gapVisibleTo(seer(viewer ? { id: viewer.id, roles: viewer.roles as Viewer["roles"] } : null));
  const { rows } = await db.execute<{
    linked: { slug: string; name: string }[];
    suggested: { slug: string; name: string }[];
    skills: ResearchSkill[];
    helpers: { name: string; skills: ResearchSkill[]; terms: (typeof HELP_TERMS)[number][] }[];
    offers: { id: string; userId: string; name: string; org: string | null; message: string; at: string }[];
    gaps: { id: string; question: string; status: GapStatus; endorsements: number }[];
    pledged: boolean;
  }>(sql`
    with asked as (select coalesce(array_agg(skill order by skill), '{}') as skills from task_skill_asks where task_id = ${taskId})
    select
      (select coalesce(json_agg(json_build_object('slug', ds.slug, 'name', ds.name) order by ds.name), '[]')
         from task_sources ts join data_sources ds on ds.id = ts.source_id
        where ts.task_id = ${taskId} and ds.status = 'published') as linked,
      (select coalesce(json_agg(json_build_object('slug', x.slug, 'name', x.name)), '[]') from (
         -- Each phrase of the free text (split at ; , and line ends, trailing years and
         -- numbers dropped) that is an entry's name, any case: an index lookup per phrase
         -- (data_sources_name_lower_idx). Similarity against every name cost 80 ms a page
         -- with 20,000 entries (scripts/bench/data-search.ts's catalogue).
         select distinct ds.slug, ds.name from
           (select lower(regexp_replace(trim(p), '[[:space:][:digit:]/().-]+$', '')) as phrase
              from tasks t, regexp_split_to_table(left(t.data_sources, 2000), '[;,
]+') as p
             where t.id = ${taskId} and length(trim(p)) between 3 and 200 limit 10) ph
           join data_sources ds on lower(ds.name) = ph.phrase and ds.status = 'published'
          where not exists (select 1 from task_sources ts where ts.task_id = ${taskId} and ts.source_id = ds.id)
          limit 5) x) as suggested,
      (select skills from asked) as skills,
      (select coalesce(json_agg(json_build_object('name', h.name, 'skills', h.skills, 'terms', h.terms) order by h.name), '[]') from (
         select u.name, array(select unnest(p.skills) intersect select unnest((select skills from asked))) as skills, p.terms
           from researcher_profiles p join users u on u.id = p.user_id
          where p.available and p.pledged_at is not null and p.skills && (select skills from asked)
            and not exists (select 1 from task_collaborators tc where tc.task_id = ${taskId} and tc.user_id = p.user_id)
            and not exists (select 1 from tasks t where t.id = ${taskId} and t.lead_user_id = p.user_id)
          order by u.name limit 5) h) as helpers,
      (select coalesce(json_agg(json_build_object('id', ho.id, 'userId', ho.user_id, 'name', u.name, 'org', o.name, 'message', ho.message, 'at', ho.created_at) order by ho.created_at), '[]')
         from help_offers ho join users u on u.id = ho.user_id left join organisations o on o.id = ho.organisation_id
        where ho.task_id = ${taskId} and ho.status = 'open') as offers,
      (select coalesce(json_agg(json_build_object('id', g.id, 'question', g.question, 'status', g.status, 'endorsements', g.endorsements) order by g.endorsements desc), '[]')
         from (select * from ${schema.dataGaps} where ${schema.dataGaps.taskId} = ${taskId} and ${gapsVisible} limit 50) g) as gaps,
      coalesce((select p.pledged_at is not null from researcher_profiles p where p.user_id = ${viewer?.id ?? null}), false) as pledged`);
  const r = rows[0];
  return { ...r, offers: r.offers.map((o) => ({ ...o, at: new Date(o.at).toISOString(), mine: o.userId === viewer?.id })) };
});

/** The offers a viewer may see: every open one for those who decide, else only their own. */
export const offersFor = <O extends { mine: boolean }>(offers: O[], canDecide: boolean) => (canDecide ? offers : offers.filter((o) => o.mine));

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
