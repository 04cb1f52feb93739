import { and, asc, desc, eq, ilike, inArray, type SQL, sql } from "drizzle-orm";
import { ORGANISATION_TYPES, type OrganisationType } from "../../db/schema";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { groupSeries } from "./event-series";
import { eventsHostedBy, hostingOrganisationIds } from "./events.server";
import { ENGAGEMENT_LEVELS, type EngagementFacts, engagementLevel } from "./organisation-types";
import { findOrg, standingInOrganisation } from "./orgs.server";
import { contributingOrganisationIds } from "./task-reads.server";
import { seer } from "./visibility.server";

// The organisation directory: search, profiles, and each organisation's engagement level,
// which follows from what it does on Convene (its tasks and events).

/** Facts for each organisation, from the data, so the levels follow it. */
async function engagementFacts(orgIds: string[], tx: DbOrTx = db): Promise<Map<string, EngagementFacts>> {
  const facts = new Map<string, EngagementFacts>();
  if (!orgIds.length) return facts;
  const orgs = await tx
    .select({ id: schema.organisations.id, anchorPartner: schema.organisations.anchorPartner })
    .from(schema.organisations)
    .where(inArray(schema.organisations.id, orgIds));
  const signed = await tx
    .selectDistinct({ id: schema.organisationSignatures.organisationId })
    .from(schema.organisationSignatures)
    .where(inArray(schema.organisationSignatures.organisationId, orgIds));
  const signedIds = new Set(signed.map((s) => s.id));
  const contributing = await contributingOrganisationIds(orgIds, tx);
  const hosting = await hostingOrganisationIds(orgIds, tx);
  for (const o of orgs)
    facts.set(o.id, { anchorPartner: o.anchorPartner, signed: signedIds.has(o.id), contributes: contributing.has(o.id), hosts: hosting.has(o.id) });
  return facts;
}

export type DirectoryFilters = { q?: string; type?: string; region?: string; focus?: string; level?: string };

export async function searchDirectory(filters: DirectoryFilters) {
  const where: SQL[] = [];
  const q = filters.q?.trim().slice(0, 100);
  if (q) where.push(ilike(schema.organisations.name, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filters.type && (ORGANISATION_TYPES as readonly string[]).includes(filters.type))
    where.push(eq(schema.organisations.type, filters.type as OrganisationType));
  if (filters.region) where.push(sql`${filters.region} = ANY(${schema.organisations.regions})`);
  if (filters.focus) where.push(sql`${filters.focus} = ANY(${schema.organisations.focusAreas})`);
  const orgs = await db
    .select()
    .from(schema.organisations)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(schema.organisations.name));
  const facts = await engagementFacts(orgs.map((o) => o.id));
  const counts = orgs.length
    ? await db
        .select({ id: schema.organisationMemberships.organisationId, n: sql<number>`count(*)::int` })
        .from(schema.organisationMemberships)
        .where(
          and(
            inArray(
              schema.organisationMemberships.organisationId,
              orgs.map((o) => o.id),
            ),
            eq(schema.organisationMemberships.status, "active"),
          ),
        )
        .groupBy(schema.organisationMemberships.organisationId)
    : [];
  const withLevels = orgs.map((o) => ({
    ...o,
    level: engagementLevel(facts.get(o.id)!),
    memberCount: counts.find((c) => c.id === o.id)?.n ?? 0,
  }));
  return filters.level && (ENGAGEMENT_LEVELS as readonly string[]).includes(filters.level) ? withLevels.filter((o) => o.level === filters.level) : withLevels;
}

/** Focus areas in use, for the directory's filter. */
export async function focusAreasInUse(): Promise<string[]> {
  const rows = await db.execute<{ focus: string }>(sql`SELECT DISTINCT unnest(focus_areas) AS focus FROM organisations ORDER BY 1`);
  return rows.rows.map((r) => r.focus);
}

export async function getOrganisationProfile(slug: string, actor: { id: string } | null) {
  const org = await findOrg(slug);
  if (!org) return null;
  const members = await db
    .select({
      id: schema.users.id,
      name: schema.users.name,
      role: schema.organisationMemberships.role,
      status: schema.organisationMemberships.status,
      requestedAt: schema.organisationMemberships.requestedAt,
    })
    .from(schema.organisationMemberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.organisationMemberships.userId))
    .where(eq(schema.organisationMemberships.organisationId, org.id))
    .orderBy(desc(sql`${schema.organisationMemberships.role} = 'admin'`), asc(schema.users.name));
  const signatures = await db
    .select({ version: schema.organisationSignatures.version, signedAt: schema.organisationSignatures.signedAt, signedBy: schema.users.name })
    .from(schema.organisationSignatures)
    .leftJoin(schema.users, eq(schema.users.id, schema.organisationSignatures.signedBy))
    .where(eq(schema.organisationSignatures.organisationId, org.id))
    .orderBy(desc(schema.organisationSignatures.version));
  const facts = (await engagementFacts([org.id])).get(org.id)!;
  const { standing, can } = await standingInOrganisation(org.id, actor);
  return {
    org,
    level: engagementLevel(facts),
    members: members.filter((m) => m.status === "active"),
    pending: can.manage ? members.filter((m) => m.status === "pending") : [],
    signatures,
    standing,
    can,
  };
}

/** Coming up (soonest first) and past (latest first), each weekly series once with its other dates. */
export async function hostedEvents(orgId: string, viewer: Parameters<typeof seer>[0]) {
  const now = Date.now();
  const rows = (await eventsHostedBy(orgId, seer(viewer))).map((e) => ({
    ...e,
    startsAt: e.startsAt.toISOString(),
    endsAt: e.endsAt.toISOString(),
    past: e.endsAt.getTime() < now,
  }));
  return {
    upcoming: groupSeries(rows.filter((e) => !e.past).reverse()),
    past: groupSeries(rows.filter((e) => e.past)),
  };
}
