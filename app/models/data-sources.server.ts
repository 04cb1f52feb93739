import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { DataSource } from "../../db/schema";
import { hasRole, rolesOf, type Viewer } from "../auth/permissions.server";
import { type DataSearch, DataSourceForm, type DataSourceInput } from "../forms/data.server";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { isUniqueViolation } from "../utils/db-errors.server";
import { inTransaction } from "../utils/locks.server";
import { done, type Outcome, refuse } from "../utils/outcome";
import { sharedRead } from "../utils/request-memo.server";
import { slugify } from "../utils/slug";
import { notify } from "./notifications.server";

// The data catalogue: sources described by what they measure, where and when, how they can
// be broken down and reached. Verified people propose entries; their proposer, data
// stewards and admins improve them; data stewards and admins publish them. A published
// entry is everyone's; a proposal its proposer's, the stewards' and the admins'. Every
// change is kept with what the entry was after it.

type Who = { id: string; roles: readonly string[] } | null;

const isSteward = (who: Who) => !!who && (who.roles.includes("data_steward") || who.roles.includes("admin"));

/** Which entries a person may see: the one rule for every list, page and export. */
function visibleTo(who: Who): SQL {
  if (isSteward(who)) return sql`true`;
  if (!who) return sql`${schema.dataSources.status} = 'published'`;
  return sql`(${schema.dataSources.status} = 'published' or ${schema.dataSources.proposedBy} = ${who.id})`;
}

export type SourceSummary = Pick<DataSource, "slug" | "name" | "publisher" | "measures" | "coverage" | "placeLevels" | "breakdowns" | "access" | "status">;

/**
 * Faceted and text search. Words are matched by PostgreSQL full-text search, ranked by
 * `ts_rank` over a vector that weighs the name first (A), then publisher and topics (B),
 * then what it measures and where (C). When the words find fewer than a handful of entries
 * (a misspelled name finds none), each word is corrected to the nearest word of the
 * catalogue's names and topics (`data_source_words`, pg_trgm similarity on a trigram index:
 * "familly" becomes "family", "childrn" "children") and the corrected words are searched
 * too, their finds added after. Comparing the words with every entry's name instead cost
 * 20–60 ms at 20,000 entries; the vocabulary stays small however many entries there are
 * (scripts/bench/data-search.ts). The text is passed as a parameter to
 * `websearch_to_tsquery`, which reads any input (quotes, operators, `%`, `_`) without
 * error, and stop words alone match nothing rather than everything.
 */
export async function searchSources(f: DataSearch, who: Who, limit = 50): Promise<SourceSummary[]> {
  // Who sees what, reduced to the audiences results differ by, so that members who stand
  // alike share one search (sharedRead): stewards see every entry; everyone else the
  // published ones, and their own proposals too while they have any not yet published.
  const audience: Audience = isSteward(who) ? "everything" : who && (await hasUnpublished(who.id)) ? { own: who.id } : "published";
  return searchAs(f, audience, limit);
}

type Audience = "everything" | "published" | { own: string };

function audienceSees(a: Audience): SQL {
  if (a === "everything") return sql`true`;
  if (a === "published") return sql`${schema.dataSources.status} = 'published'`;
  return sql`(${schema.dataSources.status} = 'published' or ${schema.dataSources.proposedBy} = ${a.own})`;
}

/** Whether this person proposed entries not (yet) published (shared between requests while the data is unchanged). */
const hasUnpublished = sharedRead("data.ownProposals", async (userId: string) => {
  const [row] = await db
    .select({ slug: schema.dataSources.slug })
    .from(schema.dataSources)
    .where(and(eq(schema.dataSources.proposedBy, userId), sql`${schema.dataSources.status} <> 'published'`))
    .limit(1);
  return !!row;
});

/** The search as an audience sees it (shared between requests while the data is unchanged). */
const searchAs = sharedRead("data.search", async (f: DataSearch, audience: Audience, limit: number): Promise<SourceSummary[]> => {
  const q = f.q.trim().slice(0, 200);
  const s = schema.dataSources;
  const facets = and(
    audienceSees(audience),
    // Array containment (`@>`) rather than `= any()`, so the GIN indexes on the facets serve it.
    f.level ? sql`${s.placeLevels} @> array[${f.level}]::text[]` : undefined,
    f.breakdown ? sql`${s.breakdowns} @> array[${f.breakdown}]::text[]` : undefined,
    f.access ? eq(s.access, f.access) : undefined,
  );
  const columns = {
    slug: s.slug,
    name: s.name,
    publisher: s.publisher,
    measures: s.measures,
    coverage: s.coverage,
    placeLevels: s.placeLevels,
    breakdowns: s.breakdowns,
    access: s.access,
    status: s.status,
  };
  // By name when no words were given (a constant would be read as a column number).
  if (!q) return db.select(columns).from(s).where(facets).orderBy(s.name).limit(limit);
  const search = sql.raw('"data_sources"."search"');
  const ranked = (words: SQL, except: string[], n: number) =>
    db
      .select(columns)
      .from(s)
      .where(and(facets, sql`${search} @@ ${words}`, except.length ? sql`${s.slug} not in ${except}` : undefined))
      .orderBy(sql`ts_rank(${search}, ${words}) desc`, s.name)
      .limit(n);
  const found = await ranked(sql`websearch_to_tsquery('english', ${q})`, [], limit);
  if (found.length >= SPELLING_BELOW) return found;
  const corrected = await correctSpelling(q);
  if (!corrected) return found;
  const more = await ranked(
    sql`plainto_tsquery('english', ${corrected})`,
    found.map((r) => r.slug),
    limit - found.length,
  );
  return [...found, ...more];
});

/** Words that find fewer entries than this are also searched as the catalogue spells them. */
const SPELLING_BELOW = 5;

/**
 * The search's words as the catalogue spells them: each word of 3 to 40 letters replaced by
 * the most similar word of the catalogue's names and topics (pg_trgm's `%`, similarity at
 * least 0.3). Null when nothing changed (there is nothing new to search for).
 */
async function correctSpelling(q: string): Promise<string | null> {
  const tokens = [...new Set(q.toLowerCase().match(/\p{L}{3,40}/gu) ?? [])].slice(0, 8);
  if (!tokens.length) return null;
  const list = sql.join(
    tokens.map((t) => sql`${t}`),
    sql`, `,
  );
  const { rows } = await db.execute<{ token: string; word: string | null }>(sql`
    select t.token, (select w.word from ${schema.dataSourceWords} w where w.word % t.token
                     order by similarity(w.word, t.token) desc, w.word limit 1) as word
    from unnest(array[${list}]::text[]) as t(token)`);
  const words = tokens.map((t) => rows.find((r) => r.token === t)?.word ?? t);
  return words.some((w, i) => w !== tokens[i]) ? words.join(" ") : null;
}

/** An entry as this person may see it, with its history and what they may do; null when it is not theirs to see. */
export async function getSourceForViewer(slug: string, viewer: Viewer | null) {
  if (!slug || slug.length > 100) return null;
  const who: Who = viewer ? { id: viewer.id, roles: viewer.roles } : null;
  const [source] = await db
    .select()
    .from(schema.dataSources)
    .where(and(eq(schema.dataSources.slug, slug), visibleTo(who)));
  if (!source) return null;
  const history = await db
    .select({ what: schema.dataSourceChanges.what, at: schema.dataSourceChanges.changedAt, by: schema.users.name })
    .from(schema.dataSourceChanges)
    .leftJoin(schema.users, eq(schema.users.id, schema.dataSourceChanges.changedBy))
    .where(eq(schema.dataSourceChanges.sourceId, source.id))
    .orderBy(desc(schema.dataSourceChanges.changedAt))
    .limit(50);
  return { source, history, can: sourceCapabilities(source, viewer) };
}

/** What a person may do with an entry: computed once, read by the page and by the guards. */
export function sourceCapabilities(source: Pick<DataSource, "status" | "proposedBy">, viewer: Pick<Viewer, "id" | "roles" | "emailVerifiedAt"> | null) {
  const steward = isSteward(viewer);
  const verified = !!viewer?.emailVerifiedAt;
  const edit = verified && (steward || (source.status === "proposed" && source.proposedBy === viewer?.id));
  return {
    edit,
    /** Suggest a change a data steward applies: anyone verified who may not edit a published entry. */
    suggest: verified && !edit && source.status === "published",
    publish: steward && source.status === "proposed",
    decideSuggestions: steward,
  };
}

const snapshot = (s: DataSource) => {
  const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = s;
  return rest as Record<string, unknown>;
};

async function record(tx: DbOrTx, source: DataSource, by: string, what: "proposed" | "edited" | "published") {
  await tx.insert(schema.dataSourceChanges).values({ id: newId(), sourceId: source.id, changedBy: by, what, snapshot: snapshot(source) });
}

const RESERVED_SLUGS = new Set(["new", "gaps", "review"]);

/**
 * Data stewards and admins hear that something waits for them (news kind "data_review"):
 * one entry while unread, its text the latest and its count the number of things.
 */
async function tellStewards(tx: DbOrTx, text: string, actorId: string) {
  await notify(
    tx,
    sql`select distinct user_id from ${schema.userRoles} where role in ('data_steward', 'admin')`,
    { kind: "data_review", subjectKey: "data-review", spaceKind: "convene", spaceTitle: "Data sources", path: "/data/review", text },
    actorId,
  );
}

const SLUG_TAKEN = refuse(409, "Another entry has just taken that name's address: please try again.");

/** A verified person proposes an entry; it is theirs and the stewards' until a steward publishes it. */
export async function proposeSource(viewer: Viewer, input: DataSourceInput): Promise<Outcome<{ slug: string }>> {
  if (!viewer.emailVerifiedAt) return refuse(403, "Please confirm your email address before proposing a data source.");
  // "new" and "gaps" are pages of the catalogue: an entry of that name gets an address beside them.
  const named = slugify(`${input.name}`) || "source";
  const base = RESERVED_SLUGS.has(named) ? `${named}-source` : named;
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${attempt + 1}`;
    try {
      const created = await inTransaction(async (tx) => {
        const [row] = await tx
          .insert(schema.dataSources)
          .values({ id: newId(), slug, ...input, status: "proposed", proposedBy: viewer.id })
          .returning();
        await record(tx, row, viewer.id, "proposed");
        await tellStewards(tx, `A new entry proposed: ${row.name}`, viewer.id);
        return row;
      });
      return done("Thank you: your entry is saved. A data steward will check it and publish it.", { slug: created.slug });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  return SLUG_TAKEN as Outcome<{ slug: string }>;
}

/** Its proposer (while it is a proposal), data stewards and admins improve an entry; the change is kept. */
export async function updateSource(viewer: Viewer, slug: string, input: DataSourceInput): Promise<Outcome> {
  const found = await getSourceForViewer(slug, viewer);
  if (!found) return refuse(404, "We could not find that data source.");
  if (!found.can.edit) return refuse(403, "Only its proposer (until it is published), data stewards and admins can change this entry.");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(schema.dataSources)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(schema.dataSources.id, found.source.id))
      .returning();
    await record(tx, row, viewer.id, "edited");
  });
  return done("Your changes are saved.");
}

/** A data steward or admin publishes a proposal: it becomes everyone's. */
export async function publishSource(viewer: Viewer, slug: string): Promise<Outcome> {
  const roles = await rolesOf(viewer.id);
  const who = { ...viewer, roles };
  const found = await getSourceForViewer(slug, who);
  if (!found) return refuse(404, "We could not find that data source.");
  if (!hasRole(who, "data_steward") && !hasRole(who, "admin")) return refuse(403, "Only data stewards and admins can publish entries.");
  const published = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(schema.dataSources)
      .set({ status: "published", publishedBy: viewer.id, publishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(schema.dataSources.id, found.source.id), eq(schema.dataSources.status, "proposed")))
      .returning();
    if (row) await record(tx, row, viewer.id, "published");
    return !!row;
  });
  return published ? done("The entry is published: everyone can find it now.") : refuse(409, "It is already published.");
}

// ---------------------------------------------------------------- standards

/** schema.org `Dataset` for an entry (JSON-LD), as data portals and search engines read it. */
export function datasetJsonLd(s: DataSource, pageUrl: string) {
  return {
    "@context": "https://schema.org",
    "@type": "Dataset",
    name: s.name,
    description: s.measures || `${s.name}, published by ${s.publisher}.`,
    url: s.url ?? pageUrl,
    sameAs: pageUrl,
    publisher: { "@type": "Organization", name: s.publisher },
    ...(s.coverage ? { spatialCoverage: { "@type": "Place", name: s.coverage } } : {}),
    ...(s.firstYear ? { temporalCoverage: `${s.firstYear}/..` } : {}),
    ...(s.licence ? { license: s.licence } : {}),
    ...(s.topics.length ? { keywords: s.topics } : {}),
    isAccessibleForFree: s.access === "open",
  };
}

/** The published catalogue as a schema.org `DataCatalog` (JSON-LD), for export. */
export async function catalogueJsonLd(appUrl: string) {
  const rows = await db.select().from(schema.dataSources).where(visibleTo(null)).orderBy(schema.dataSources.name);
  return {
    "@context": "https://schema.org",
    "@type": "DataCatalog",
    name: "Convene data catalogue",
    url: `${appUrl}/data`,
    dataset: rows.map((s) => {
      const { "@context": _c, ...rest } = datasetJsonLd(s, `${appUrl}/data/${s.slug}`);
      return rest;
    }),
  };
}

/** The entries a person proposed, for their export. */
export async function sourcesProposedBy(userId: string) {
  return db
    .select({ name: schema.dataSources.name, slug: schema.dataSources.slug, status: schema.dataSources.status, createdAt: schema.dataSources.createdAt })
    .from(schema.dataSources)
    .where(eq(schema.dataSources.proposedBy, userId));
}

// ---------------------------------------------------------------- context notes

/**
 * Notes of context on an entry: approved ones to everyone; a pending one to its author; all
 * pending ones to data stewards and admins, who decide. A note names its author's
 * organisation only when they chose one.
 */
export async function notesForSource(sourceId: string, viewer: Pick<Viewer, "id" | "roles"> | null) {
  const n = schema.sourceNotes;
  const steward = isSteward(viewer);
  const mine = viewer ? sql` or (${n.status} = 'pending' and ${n.authorId} = ${viewer.id})` : sql``;
  const visible = steward ? sql`${n.status} <> 'declined'` : sql`(${n.status} = 'approved'${mine})`;
  return db
    .select({ id: n.id, body: n.body, status: n.status, org: schema.organisations.name, at: n.createdAt })
    .from(n)
    .leftJoin(schema.organisations, eq(schema.organisations.id, n.organisationId))
    .where(and(eq(n.sourceId, sourceId), visible))
    .orderBy(n.createdAt)
    .limit(100);
}

/** A verified person adds a note of context; it waits for a data steward. */
export async function addSourceNote(viewer: Viewer, slug: string, body: string, organisationId: string | null): Promise<Outcome> {
  if (!viewer.emailVerifiedAt) return refuse(403, "Please confirm your email address before adding a note.");
  const found = await getSourceForViewer(slug, viewer);
  if (!found) return refuse(404, "We could not find that data source.");
  if (found.source.status !== "published") return refuse(409, "Notes can be added once the entry is published.");
  if (organisationId) {
    const [member] = await db
      .select({ one: sql`1` })
      .from(schema.organisationMemberships)
      .where(
        and(
          eq(schema.organisationMemberships.organisationId, organisationId),
          eq(schema.organisationMemberships.userId, viewer.id),
          eq(schema.organisationMemberships.status, "active"),
        ),
      );
    if (!member)
      return refuse(400, "Please correct the fields marked below.", { fieldErrors: { organisationId: "Choose one of your organisations, or none" } });
  }
  await inTransaction(async (tx) => {
    await tx.insert(schema.sourceNotes).values({ id: newId(), sourceId: found.source.id, authorId: viewer.id, organisationId, body });
    await tellStewards(tx, `A note of context on ${found.source.name}`, viewer.id);
  });
  return done("Thank you: your note is saved. A data steward will read it before it is shown to everyone.");
}

/** A data steward or admin approves or declines a pending note. */
export async function decideSourceNote(viewer: Viewer, slug: string, noteId: string, decision: "approved" | "declined"): Promise<Outcome> {
  const roles = await rolesOf(viewer.id);
  if (!roles.includes("data_steward") && !roles.includes("admin")) return refuse(403, "Only data stewards and admins can approve notes.");
  const [source] = await db.select({ id: schema.dataSources.id }).from(schema.dataSources).where(eq(schema.dataSources.slug, slug));
  if (!source) return refuse(404, "We could not find that data source.");
  const [row] = await db
    .update(schema.sourceNotes)
    .set({ status: decision, decidedBy: viewer.id, decidedAt: new Date() })
    .where(and(eq(schema.sourceNotes.id, noteId), eq(schema.sourceNotes.sourceId, source.id), eq(schema.sourceNotes.status, "pending")))
    .returning({ id: schema.sourceNotes.id });
  if (!row) return refuse(409, "That note has been decided already, or is not on this entry.");
  return done(decision === "approved" ? "The note is approved: everyone sees it now." : "The note is declined: nobody else will see it.");
}

/** The research tasks that drew on an entry, and what they published. */
export async function tasksUsingSource(sourceId: string) {
  return db
    .select({
      id: schema.tasks.id,
      title: schema.tasks.title,
      status: schema.tasks.status,
      outputUrl: schema.tasks.outputUrl,
      hubSlug: schema.hubs.slug,
      hubTitle: schema.hubs.title,
    })
    .from(schema.taskSources)
    .innerJoin(schema.tasks, eq(schema.tasks.id, schema.taskSources.taskId))
    .innerJoin(schema.hubs, eq(schema.hubs.id, schema.tasks.hubId))
    .where(and(eq(schema.taskSources.sourceId, sourceId), sql`${schema.tasks.mergedIntoId} is null`))
    .orderBy(desc(schema.taskSources.linkedAt))
    .limit(100);
}

/** A person's notes of context, for their export. */
export async function notesWrittenBy(userId: string) {
  return db
    .select({ source: schema.dataSources.name, body: schema.sourceNotes.body, status: schema.sourceNotes.status, createdAt: schema.sourceNotes.createdAt })
    .from(schema.sourceNotes)
    .innerJoin(schema.dataSources, eq(schema.dataSources.id, schema.sourceNotes.sourceId))
    .where(eq(schema.sourceNotes.authorId, userId));
}

/** The catalogue entries a hub's tasks draw on, most used first (the hub's page). */
async function sourcesOfHubRead(hubId: string) {
  return db
    .select({ slug: schema.dataSources.slug, name: schema.dataSources.name, tasks: sql<number>`count(*)::int` })
    .from(schema.taskSources)
    .innerJoin(schema.tasks, eq(schema.tasks.id, schema.taskSources.taskId))
    .innerJoin(schema.dataSources, eq(schema.dataSources.id, schema.taskSources.sourceId))
    .where(and(eq(schema.tasks.hubId, hubId), eq(schema.dataSources.status, "published"), sql`${schema.tasks.mergedIntoId} is null`))
    .groupBy(schema.dataSources.slug, schema.dataSources.name)
    .orderBy(sql`count(*) desc`, schema.dataSources.name)
    .limit(30);
}
/** Shared between requests while the data is unchanged (sharedRead). */
export const sourcesOfHub = sharedRead("hub.sources", sourcesOfHubRead);

// ---------------------------------------------------------------- suggested changes

const FIELD_LABELS: Record<keyof DataSourceInput, string> = {
  name: "Name",
  publisher: "Publisher",
  url: "Web address",
  measures: "What it measures",
  topics: "Topics",
  coverage: "Where it covers",
  placeLevels: "Figures are published for",
  firstYear: "First year",
  latestRelease: "Latest release",
  frequency: "How often",
  breakdowns: "Breakdowns",
  licence: "Licence",
  access: "Access",
  methods: "Methods",
  qualityIssues: "Known quality issues",
  contact: "Who to ask",
};

const shown = (v: unknown) => (Array.isArray(v) ? v.join(", ") : v === null || v === undefined ? "" : String(v));

/** What a suggestion would change, field by field (label, now, suggested). */
export function suggestionChanges(source: DataSource, fields: Record<string, unknown>) {
  return (Object.keys(FIELD_LABELS) as (keyof DataSourceInput)[])
    .filter((k) => k in fields && shown(fields[k]) !== shown(source[k]))
    .map((k) => ({ field: FIELD_LABELS[k], now: shown(source[k]), suggested: shown(fields[k]) }));
}

/** A verified person who may not edit a published entry suggests a change; a data steward decides. */
export async function suggestChange(viewer: Viewer, slug: string, input: DataSourceInput): Promise<Outcome> {
  const found = await getSourceForViewer(slug, viewer);
  if (!found) return refuse(404, "We could not find that data source.");
  if (found.can.edit) return updateSource(viewer, slug, input);
  if (!found.can.suggest) return refuse(403, "Please confirm your email address before suggesting a change.");
  if (suggestionChanges(found.source, input).length === 0) return done("That is what the entry says already: nothing to suggest.");
  await inTransaction(async (tx) => {
    await tx.insert(schema.dataSourceSuggestions).values({ id: newId(), sourceId: found.source.id, suggestedBy: viewer.id, fields: input });
    await tellStewards(tx, `A change suggested to ${found.source.name}`, viewer.id);
  });
  return done("Thank you: your suggestion is saved. A data steward will read it and apply it.");
}

/** Pending suggestions on an entry, with what each would change: for the stewards (and each suggester, their own). */
export async function suggestionsFor(source: DataSource, viewer: Pick<Viewer, "id" | "roles"> | null) {
  if (!viewer) return [];
  const t = schema.dataSourceSuggestions;
  const rows = await db
    .select({ id: t.id, fields: t.fields, at: t.createdAt, by: schema.users.name, byId: t.suggestedBy })
    .from(t)
    .leftJoin(schema.users, eq(schema.users.id, t.suggestedBy))
    .where(and(eq(t.sourceId, source.id), eq(t.status, "pending"), isSteward(viewer) ? undefined : eq(t.suggestedBy, viewer.id)))
    .orderBy(t.createdAt)
    .limit(50);
  return rows.map((r) => ({ id: r.id, at: r.at, by: r.by ?? "a former member", mine: r.byId === viewer.id, changes: suggestionChanges(source, r.fields) }));
}

/** A data steward applies a suggestion (an edit, kept in the history) or declines it. */
export async function decideSuggestion(viewer: Viewer, slug: string, suggestionId: string, apply: boolean): Promise<Outcome> {
  const roles = await rolesOf(viewer.id);
  if (!roles.includes("data_steward") && !roles.includes("admin")) return refuse(403, "Only data stewards and admins decide on suggestions.");
  const [source] = await db.select().from(schema.dataSources).where(eq(schema.dataSources.slug, slug));
  if (!source) return refuse(404, "We could not find that data source.");
  const t = schema.dataSourceSuggestions;
  const decided = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(t)
      .set({ status: apply ? "applied" : "declined", decidedBy: viewer.id, decidedAt: new Date() })
      .where(and(eq(t.id, suggestionId), eq(t.sourceId, source.id), eq(t.status, "pending")))
      .returning();
    if (!row) return false;
    if (apply) {
      const parsed = DataSourceForm.safeParse(formValues(row.fields));
      if (!parsed.success) throw new Error("a stored suggestion no longer reads as the form");
      const [updated] = await tx
        .update(schema.dataSources)
        .set({ ...parsed.data, updatedAt: new Date() })
        .where(eq(schema.dataSources.id, source.id))
        .returning();
      await record(tx, updated, viewer.id, "edited");
    }
    return true;
  });
  if (!decided) return refuse(409, "That suggestion has been decided already, or is not on this entry.");
  return done(apply ? "The suggestion is applied: the entry is changed, and its history says so." : "The suggestion is declined: the entry is unchanged.");
}

/** A stored suggestion as the form's own values, so applying it passes the same checks as typing it. */
function formValues(fields: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined) continue;
    out[k] = Array.isArray(v) ? (k === "topics" ? v.join(", ") : v.map(String)) : String(v);
  }
  return out;
}

/** The suggestions a person made, for their export. */
export async function suggestionsBy(userId: string) {
  const t = schema.dataSourceSuggestions;
  return db
    .select({ source: schema.dataSources.name, fields: t.fields, status: t.status, createdAt: t.createdAt })
    .from(t)
    .innerJoin(schema.dataSources, eq(schema.dataSources.id, t.sourceId))
    .where(eq(t.suggestedBy, userId));
}

/** What waits for a data steward across the catalogue: proposals, notes and suggested changes, oldest first. */
export async function reviewQueue(viewer: Pick<Viewer, "id" | "roles">) {
  if (!isSteward(viewer)) return null;
  const s = schema.dataSources;
  const [proposals, notes, suggestions] = await Promise.all([
    db
      .select({ slug: s.slug, name: s.name, at: s.createdAt, by: schema.users.name })
      .from(s)
      .leftJoin(schema.users, eq(schema.users.id, s.proposedBy))
      .where(eq(s.status, "proposed"))
      .orderBy(s.createdAt)
      .limit(200),
    db
      .select({ slug: s.slug, name: s.name, body: schema.sourceNotes.body, at: schema.sourceNotes.createdAt })
      .from(schema.sourceNotes)
      .innerJoin(s, eq(s.id, schema.sourceNotes.sourceId))
      .where(eq(schema.sourceNotes.status, "pending"))
      .orderBy(schema.sourceNotes.createdAt)
      .limit(200),
    db
      .select({ slug: s.slug, name: s.name, at: schema.dataSourceSuggestions.createdAt, by: schema.users.name })
      .from(schema.dataSourceSuggestions)
      .innerJoin(s, eq(s.id, schema.dataSourceSuggestions.sourceId))
      .leftJoin(schema.users, eq(schema.users.id, schema.dataSourceSuggestions.suggestedBy))
      .where(eq(schema.dataSourceSuggestions.status, "pending"))
      .orderBy(schema.dataSourceSuggestions.createdAt)
      .limit(200),
  ]);
  return { proposals, notes, suggestions };
}
