import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { DataGap, GapStatus } from "../../db/schema";
import type { Viewer } from "../auth/permissions.server";
import type { GapInput, GapSearch } from "../forms/data.server";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { inTransaction, lockRow, transact } from "../utils/locks.server";
import { done, type Outcome, refuse } from "../utils/outcome";
import { GAP_STATUS_LABELS } from "./data-source-facets";
import { notify } from "./notifications.server";
import { activeOrganisations } from "./tasks.server";
import { communityReadableBy, gapVisibleTo, type Seer, seer } from "./visibility.server";

// The data-gap register: questions the data cannot answer, raised by verified people,
// endorsed ("us too") by organisations, moved through their statuses by data stewards,
// each step with a dated note. Who sees a gap is `gapVisibleTo` (visibility.server.ts),
// for its page and every list, count and export alike.

type Who = Pick<Viewer, "id" | "roles" | "emailVerifiedAt">;

const isSteward = (who: Pick<Viewer, "roles"> | null) => !!who && (who.roles.includes("data_steward") || who.roles.includes("admin"));

const NOT_FOUND = "We could not find that data gap.";

/** The viewer as the visibility rules need them. */
const gapSeer = (viewer: Who | null): Seer => seer(viewer ? { id: viewer.id, roles: viewer.roles as Viewer["roles"] } : null);

/**
 * Catalogue entries named by people (a name as written in the catalogue, or its address),
 * among those the person may see. Names not found come back so the form can say which.
 */
export async function resolveSourceNames(names: string[], who: Who | null, tx: DbOrTx = db) {
  if (names.length === 0) return { ids: [] as string[], unknown: [] as string[] };
  const s = schema.dataSources;
  const lowered = names.map((n) => n.toLowerCase());
  const visible = isSteward(who) ? sql`true` : who ? sql`(${s.status} = 'published' or ${s.proposedBy} = ${who.id})` : sql`${s.status} = 'published'`;
  const rows = await tx
    .select({ id: s.id, name: s.name, slug: s.slug })
    .from(s)
    .where(and(visible, sql`(lower(${s.name}) in ${lowered} or ${s.slug} in ${lowered})`));
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const n of lowered) {
    const hit = rows.find((r) => r.name.toLowerCase() === n || r.slug === n);
    if (hit) {
      if (!ids.includes(hit.id)) ids.push(hit.id);
    } else unknown.push(names[lowered.indexOf(n)]);
  }
  return { ids, unknown };
}

/** "We could not find …" beside the sources field, naming what was not found. */
export const unknownSourcesMessage = (unknown: string[]) =>
  `We could not find ${unknown.map((u) => `"${u.slice(0, 60)}"`).join(", ")} in the catalogue: write names as the catalogue does (or propose the source first), or describe it under "how the sources fall short".`;

/** Where a gap was hit, checked against what its author may see. */
async function placeOfGap(who: Who, input: Pick<GapInput, "hub" | "task" | "community">) {
  const given = [input.hub, input.task, input.community].filter(Boolean).length;
  if (given > 1) return { error: "A gap is raised from one place: a hub, a task or a community." } as const;
  if (input.task) {
    const [t] = await db.select({ id: schema.tasks.id, hubId: schema.tasks.hubId }).from(schema.tasks).where(eq(schema.tasks.id, input.task));
    return t ? ({ hubId: t.hubId, taskId: t.id, communityId: null, public: true } as const) : ({ error: "We could not find that task." } as const);
  }
  if (input.hub) {
    const [h] = await db.select({ id: schema.hubs.id }).from(schema.hubs).where(eq(schema.hubs.slug, input.hub));
    return h ? ({ hubId: h.id, taskId: null, communityId: null, public: true } as const) : ({ error: "We could not find that hub." } as const);
  }
  if (input.community) {
    const [c] = await db
      .select({ id: schema.communities.id, visibility: schema.communities.visibility })
      .from(schema.communities)
      .where(and(eq(schema.communities.slug, input.community), communityReadableBy(gapSeer(who))));
    return c
      ? ({ hubId: null, taskId: null, communityId: c.id, public: c.visibility === "public" } as const)
      : ({ error: "We could not find that community." } as const);
  }
  return { hubId: null, taskId: null, communityId: null, public: true } as const;
}

/** A verified person raises a gap, for their organisation when they have one. */
export async function raiseGap(viewer: Who, input: GapInput): Promise<Outcome<{ id: string }, { fieldErrors?: Record<string, string> }>> {
  if (!viewer.emailVerifiedAt) return refuse(403, "Please confirm your email address before raising a data gap.");
  const place = await placeOfGap(viewer, input);
  if ("error" in place) return refuse(404, place.error as string);
  const orgs = await activeOrganisations(viewer.id);
  const org = input.organisationId ? orgs.find((o) => o.id === input.organisationId) : orgs.length === 1 ? orgs[0] : null;
  if (input.organisationId && !org)
    return refuse(400, "Please correct the fields marked below.", { fieldErrors: { organisationId: "Choose one of your organisations" } });
  const { ids, unknown } = await resolveSourceNames(input.sources, viewer);
  if (unknown.length) return refuse(400, "Please correct the fields marked below.", { fieldErrors: { sources: unknownSourcesMessage(unknown) } });
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(schema.dataGaps).values({
      id,
      question: input.question,
      kind: input.kind,
      places: input.places,
      placeLevels: input.placeLevels,
      groups: input.groups,
      shortfall: input.shortfall,
      hubId: place.hubId,
      taskId: place.taskId,
      communityId: place.communityId,
      public: place.public,
      raisedBy: viewer.id,
      organisationId: org?.id ?? null,
    });
    if (ids.length) await tx.insert(schema.dataGapSources).values(ids.map((sourceId) => ({ gapId: id, sourceId })));
    await tx.insert(schema.dataGapSteps).values({ gapId: id, status: "raised", note: "", setBy: viewer.id });
  });
  const privately = !place.public ? " Only the community's members see it until a facilitator makes it public." : "";
  return done(`Thank you: the gap is raised. Share its page so others can say "us too".${privately}`, { id });
}

/** What a person may do with a gap: computed once, read by the page and by the guards. */
export function gapCapabilities(
  gap: Pick<DataGap, "public" | "communityId" | "status">,
  viewer: Who | null,
  standing: { orgsNotYetEndorsing: number; facilitates: boolean },
) {
  const verified = !!viewer?.emailVerifiedAt;
  return {
    endorse: verified && standing.orgsNotYetEndorsing > 0,
    setStatus: verified && isSteward(viewer),
    makePublic: verified && !gap.public && !!gap.communityId && (standing.facilitates || !!viewer?.roles.includes("admin")),
  };
}

async function facilitates(userId: string, communityId: string | null, tx: DbOrTx = db) {
  if (!communityId) return false;
  const [row] = await tx
    .select({ one: sql`1` })
    .from(schema.communityMemberships)
    .where(
      and(
        eq(schema.communityMemberships.communityId, communityId),
        eq(schema.communityMemberships.userId, userId),
        eq(schema.communityMemberships.status, "active"),
        eq(schema.communityMemberships.role, "facilitator"),
      ),
    );
  return !!row;
}

/** A gap as this person may see it, with its sources, endorsements, story and what they may do; null when not theirs to see. */
export async function getGapForViewer(id: string, viewer: Who | null) {
  if (!id || id.length > 100) return null;
  const g = schema.dataGaps;
  const [gap] = await db
    .select({
      gap: g,
      hub: { slug: schema.hubs.slug, title: schema.hubs.title },
      task: { id: schema.tasks.id, title: schema.tasks.title },
      community: { slug: schema.communities.slug, name: schema.communities.name },
      raisedBy: schema.users.name,
      raisedFor: schema.organisations.name,
    })
    .from(g)
    .leftJoin(schema.hubs, eq(schema.hubs.id, g.hubId))
    .leftJoin(schema.tasks, eq(schema.tasks.id, g.taskId))
    .leftJoin(schema.communities, eq(schema.communities.id, g.communityId))
    .leftJoin(schema.users, eq(schema.users.id, g.raisedBy))
    .leftJoin(schema.organisations, eq(schema.organisations.id, g.organisationId))
    .where(and(eq(g.id, id), gapVisibleTo(gapSeer(viewer))));
  if (!gap) return null;
  const [sources, endorsements, steps, orgs, facilitator] = await Promise.all([
    db
      .select({ slug: schema.dataSources.slug, name: schema.dataSources.name })
      .from(schema.dataGapSources)
      .innerJoin(schema.dataSources, eq(schema.dataSources.id, schema.dataGapSources.sourceId))
      .where(and(eq(schema.dataGapSources.gapId, id), eq(schema.dataSources.status, "published")))
      .orderBy(asc(schema.dataSources.name)),
    db
      .select({
        id: schema.dataGapEndorsements.id,
        organisationId: schema.dataGapEndorsements.organisationId,
        org: schema.organisations.name,
        orgSlug: schema.organisations.slug,
        evidenceUrl: schema.dataGapEndorsements.evidenceUrl,
        note: schema.dataGapEndorsements.note,
        at: schema.dataGapEndorsements.createdAt,
      })
      .from(schema.dataGapEndorsements)
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.dataGapEndorsements.organisationId))
      .where(eq(schema.dataGapEndorsements.gapId, id))
      .orderBy(asc(schema.dataGapEndorsements.createdAt)),
    db
      .select({ status: schema.dataGapSteps.status, note: schema.dataGapSteps.note, at: schema.dataGapSteps.at, by: schema.users.name })
      .from(schema.dataGapSteps)
      .leftJoin(schema.users, eq(schema.users.id, schema.dataGapSteps.setBy))
      .where(eq(schema.dataGapSteps.gapId, id))
      .orderBy(asc(schema.dataGapSteps.at), asc(schema.dataGapSteps.id)),
    viewer ? activeOrganisations(viewer.id) : Promise.resolve([]),
    viewer ? facilitates(viewer.id, gap.gap.communityId) : Promise.resolve(false),
  ]);
  const endorsing = new Set(endorsements.map((e) => e.organisationId));
  const myOrgs = orgs.map((o) => ({ id: o.id, name: o.name, endorsed: endorsing.has(o.id) }));
  const can = gapCapabilities(gap.gap, viewer, { orgsNotYetEndorsing: myOrgs.filter((o) => !o.endorsed).length, facilitates: facilitator });
  return { ...gap, sources, endorsements, steps, myOrgs, can };
}

/**
 * "Us too", for one of the person's organisations: one endorsement per organisation per
 * gap, whoever of its people says it and however many say it at once. The gap's row lock
 * serialises endorsements of a gap, so the check for the organisation's endorsement and
 * the insert cannot interleave, and the count moves with the rows.
 */
export async function endorseGap(
  viewer: Who,
  gapId: string,
  input: { organisationId: string | null; evidenceUrl: string | null; note: string },
): Promise<Outcome> {
  if (!viewer.emailVerifiedAt) return refuse(403, "Please confirm your email address before endorsing a data gap.");
  const orgs = await activeOrganisations(viewer.id);
  if (orgs.length === 0) return refuse(403, "Endorsements are made for an organisation: join yours (or list it) in the directory first.");
  const org = input.organisationId ? orgs.find((o) => o.id === input.organisationId) : orgs[0];
  if (!org) return refuse(400, "Please correct the fields marked below.", { fieldErrors: { organisationId: "Choose one of your organisations" } });
  const result = await transact(async (tx) => {
    const gap = await lockRow(
      tx
        .select({ id: schema.dataGaps.id })
        .from(schema.dataGaps)
        .where(and(eq(schema.dataGaps.id, gapId), gapVisibleTo(gapSeer(viewer)))),
      "one-endorsement",
    );
    if (!gap) return refuse(404, NOT_FOUND);
    const [already] = await tx
      .select({ id: schema.dataGapEndorsements.id })
      .from(schema.dataGapEndorsements)
      .where(and(eq(schema.dataGapEndorsements.gapId, gapId), eq(schema.dataGapEndorsements.organisationId, org.id)));
    if (already) return done(`${org.name} already says "us too" to this gap: nothing has changed.`);
    await tx
      .insert(schema.dataGapEndorsements)
      .values({ id: newId(), gapId, organisationId: org.id, userId: viewer.id, evidenceUrl: input.evidenceUrl, note: input.note });
    await tx
      .update(schema.dataGaps)
      .set({ endorsements: sql`${schema.dataGaps.endorsements} + 1`, updatedAt: new Date() })
      .where(eq(schema.dataGaps.id, gapId));
    return done(`Thank you: ${org.name} now says "us too".`);
  });
  return result;
}

/** A data steward (or admin) moves a gap on, with a dated note for its story. */
export async function setGapStatus(viewer: Who, gapId: string, status: GapStatus, note: string): Promise<Outcome> {
  if (!isSteward(viewer)) return refuse(403, "Only data stewards and admins can change a gap's status.");
  const found = await getGapForViewer(gapId, viewer);
  if (!found) return refuse(404, NOT_FOUND);
  await inTransaction(async (tx) => {
    await tx.update(schema.dataGaps).set({ status, updatedAt: new Date() }).where(eq(schema.dataGaps.id, gapId));
    await tx.insert(schema.dataGapSteps).values({ gapId, status, note, setBy: viewer.id });
    // Its raiser and everyone who endorsed it hear, if they may still see it (a private
    // community's gap: only its members).
    const g = schema.dataGaps;
    const people = sql`select p.user_id from (
        select raised_by as user_id from data_gaps where id = ${gapId}
        union select user_id from data_gap_endorsements where gap_id = ${gapId}) p
      where p.user_id is not null and exists (select 1 from data_gaps where ${g.id} = ${gapId} and (${g.public}
        or exists (select 1 from community_memberships cm where cm.community_id = ${g.communityId} and cm.user_id = p.user_id and cm.status = 'active')))`;
    await notify(
      tx,
      people,
      {
        kind: "data_gaps",
        subjectKey: `gap:${gapId}`,
        spaceKind: "convene",
        spaceTitle: "Data gaps",
        path: `/data/gaps/${gapId}`,
        text: `${found.gap.question}: ${GAP_STATUS_LABELS[status].toLowerCase()}`,
      },
      viewer.id,
    );
  });
  return done("The gap's status is saved, with your note. Its raiser and endorsers will hear.");
}

/** A facilitator of the community it was raised in (or an admin) makes a gap public. */
export async function makeGapPublic(viewer: Who, gapId: string): Promise<Outcome> {
  const found = await getGapForViewer(gapId, viewer);
  if (!found) return refuse(404, NOT_FOUND);
  if (!found.can.makePublic) return refuse(403, "Only the community's facilitators can make this gap public.");
  await db.transaction(async (tx) => {
    await tx.update(schema.dataGaps).set({ public: true, updatedAt: new Date() }).where(eq(schema.dataGaps.id, gapId));
    await tx.insert(schema.dataGapSteps).values({ gapId, status: "made_public", note: "", setBy: viewer.id });
  });
  return done("The gap is public now: anyone can read and endorse it.");
}

// ---------------------------------------------------------------- lists and exports

function gapFilters(f: GapSearch, who: Who | null): SQL | undefined {
  const g = schema.dataGaps;
  return and(
    gapVisibleTo(gapSeer(who)),
    f.kind ? eq(g.kind, f.kind) : undefined,
    f.level ? sql`${f.level} = any(${g.placeLevels})` : undefined,
    f.group ? sql`${f.group} = any(${g.groups})` : undefined,
    f.status ? eq(g.status, f.status) : undefined,
    f.hub ? sql`${g.hubId} = (select id from ${schema.hubs} where slug = ${f.hub})` : undefined,
    f.source
      ? sql`exists (select 1 from ${schema.dataGapSources} gs join ${schema.dataSources} ds on ds.id = gs.source_id
          where gs.gap_id = ${g.id} and ds.slug = ${f.source})`
      : undefined,
  );
}

/** The register, filtered and sorted (most endorsed first unless asked for the newest). */
export async function searchGaps(f: GapSearch, who: Who | null, limit = 100) {
  const g = schema.dataGaps;
  return db
    .select({
      id: g.id,
      question: g.question,
      kind: g.kind,
      status: g.status,
      places: g.places,
      groups: g.groups,
      endorsements: g.endorsements,
      public: g.public,
      createdAt: g.createdAt,
      hub: schema.hubs.title,
    })
    .from(g)
    .leftJoin(schema.hubs, eq(schema.hubs.id, g.hubId))
    .where(gapFilters(f, who))
    .orderBy(...(f.sort === "newest" ? [desc(g.createdAt)] : [desc(g.endorsements), desc(g.createdAt)]))
    .limit(limit);
}

/** The register as advocacy material (CSV and JSON): every gap this person may see, with its sources and endorsers. */
export async function gapsForExport(f: GapSearch, who: Who | null) {
  const g = schema.dataGaps;
  const rows = await db
    .select({
      id: g.id,
      question: g.question,
      kind: g.kind,
      status: g.status,
      places: g.places,
      placeLevels: g.placeLevels,
      groups: g.groups,
      shortfall: g.shortfall,
      endorsements: g.endorsements,
      createdAt: g.createdAt,
      updatedAt: g.updatedAt,
      hub: schema.hubs.title,
      raisedFor: schema.organisations.name,
    })
    .from(g)
    .leftJoin(schema.hubs, eq(schema.hubs.id, g.hubId))
    .leftJoin(schema.organisations, eq(schema.organisations.id, g.organisationId))
    .where(gapFilters(f, who))
    .orderBy(desc(g.endorsements), desc(g.createdAt))
    .limit(10_000);
  const ids = rows.map((r) => r.id);
  const [sources, endorsers] = ids.length
    ? await Promise.all([
        db
          .select({ gapId: schema.dataGapSources.gapId, name: schema.dataSources.name })
          .from(schema.dataGapSources)
          .innerJoin(schema.dataSources, eq(schema.dataSources.id, schema.dataGapSources.sourceId))
          .where(and(inArray(schema.dataGapSources.gapId, ids), eq(schema.dataSources.status, "published"))),
        db
          .select({ gapId: schema.dataGapEndorsements.gapId, org: schema.organisations.name })
          .from(schema.dataGapEndorsements)
          .innerJoin(schema.organisations, eq(schema.organisations.id, schema.dataGapEndorsements.organisationId))
          .where(inArray(schema.dataGapEndorsements.gapId, ids))
          .orderBy(asc(schema.dataGapEndorsements.createdAt)),
      ])
    : [[], []];
  const by = <T extends { gapId: string }>(list: T[], pick: (t: T) => string) => {
    const m = new Map<string, string[]>();
    for (const x of list) m.set(x.gapId, [...(m.get(x.gapId) ?? []), pick(x)]);
    return m;
  };
  const sourcesOf = by(sources, (s) => s.name);
  const endorsersOf = by(endorsers, (e) => e.org);
  return rows.map((r) => ({ ...r, sources: sourcesOf.get(r.id) ?? [], endorsedBy: endorsersOf.get(r.id) ?? [] }));
}

/** The gaps raised against a source, as the person may see them (its page). */
export async function gapsAgainstSource(sourceId: string, who: Who | null) {
  const g = schema.dataGaps;
  return db
    .select({ id: g.id, question: g.question, status: g.status, endorsements: g.endorsements })
    .from(schema.dataGapSources)
    .innerJoin(g, eq(g.id, schema.dataGapSources.gapId))
    .where(and(eq(schema.dataGapSources.sourceId, sourceId), gapVisibleTo(gapSeer(who))))
    .orderBy(desc(g.endorsements))
    .limit(50);
}

/** A person's part in the register, for their export. */
export async function gapContributionsOf(userId: string) {
  const [raised, endorsed] = await Promise.all([
    db
      .select({ id: schema.dataGaps.id, question: schema.dataGaps.question, status: schema.dataGaps.status, createdAt: schema.dataGaps.createdAt })
      .from(schema.dataGaps)
      .where(eq(schema.dataGaps.raisedBy, userId)),
    db
      .select({
        gapId: schema.dataGapEndorsements.gapId,
        organisation: schema.organisations.name,
        evidenceUrl: schema.dataGapEndorsements.evidenceUrl,
        note: schema.dataGapEndorsements.note,
        createdAt: schema.dataGapEndorsements.createdAt,
      })
      .from(schema.dataGapEndorsements)
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.dataGapEndorsements.organisationId))
      .where(eq(schema.dataGapEndorsements.userId, userId)),
  ]);
  return { raised, endorsed };
}

/** The hubs gaps were raised at (the register's hub filter). */
export async function hubsWithGaps() {
  return db
    .selectDistinct({ slug: schema.hubs.slug, title: schema.hubs.title })
    .from(schema.dataGaps)
    .innerJoin(schema.hubs, eq(schema.hubs.id, schema.dataGaps.hubId))
    .where(eq(schema.dataGaps.public, true))
    .orderBy(schema.hubs.title);
}

/** What the "raise a gap" form starts from: where it was hit (as the person may see it), a source named, their organisations. */
export async function gapFormContext(viewer: Who, q: { task?: string | null; hub?: string | null; community?: string | null; source?: string | null }) {
  const place = await placeOfGap(viewer, { task: q.task ?? null, hub: q.hub ?? null, community: q.community ?? null });
  if ("error" in place) return null;
  const [where, source, orgs] = await Promise.all([
    place.taskId
      ? db
          .select({ label: schema.tasks.title, hubSlug: schema.hubs.slug })
          .from(schema.tasks)
          .innerJoin(schema.hubs, eq(schema.hubs.id, schema.tasks.hubId))
          .where(eq(schema.tasks.id, place.taskId))
          .then((r) => (r[0] ? { kind: "task" as const, label: r[0].label, href: `/hubs/${r[0].hubSlug}/tasks/${place.taskId}` } : null))
      : place.hubId
        ? db
            .select({ label: schema.hubs.title, slug: schema.hubs.slug })
            .from(schema.hubs)
            .where(eq(schema.hubs.id, place.hubId))
            .then((r) => (r[0] ? { kind: "hub" as const, label: r[0].label, href: `/hubs/${r[0].slug}` } : null))
        : place.communityId
          ? db
              .select({ label: schema.communities.name, slug: schema.communities.slug })
              .from(schema.communities)
              .where(eq(schema.communities.id, place.communityId))
              .then((r) => (r[0] ? { kind: "community" as const, label: r[0].label, href: `/communities/${r[0].slug}` } : null))
          : Promise.resolve(null),
    q.source ? resolveSourceNames([q.source], viewer) : Promise.resolve(null),
    activeOrganisations(viewer.id),
  ]);
  let sourceName = "";
  if (source?.ids.length) {
    const [s] = await db.select({ name: schema.dataSources.name }).from(schema.dataSources).where(eq(schema.dataSources.id, source.ids[0]));
    sourceName = s?.name ?? "";
  }
  return { where, private: !place.public, sourceName, orgs: orgs.map((o) => ({ id: o.id, name: o.name })) };
}
