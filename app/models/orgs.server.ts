import type { Outcome } from "../utils/outcome";
import { and, asc, desc, eq, ilike, inArray, sql, type SQL } from "drizzle-orm";
import { db, schema, type DbOrTx } from "../utils/db.server";
import { lockRows, transact } from "../utils/locks.server";
import { isUniqueViolation } from "../utils/db-errors.server";
import { newId } from "../utils/crypto.server";
import { hasRole, rolesOf } from "../auth/permissions.server";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { organisationDecisionMessage, organisationRequestMessage } from "../email/templates/communities";
import { ORGANISATION_TYPES, type Organisation, type OrganisationType } from "../../db/schema";
import { contributingOrganisationIds } from "./tasks.server";
import { hostingOrganisationIds } from "./events.server";
export { slugify } from "../utils/slug";

// The organisation directory, organisation membership, and engagement levels.

export const UK_REGIONS = [
  "UK-wide",
  "North East",
  "North West",
  "Yorkshire and the Humber",
  "East Midlands",
  "West Midlands",
  "East of England",
  "London",
  "South East",
  "South West",
  "Wales",
  "Scotland",
  "Northern Ireland",
] as const;

export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  charity: "Charity",
  think_tank: "Think tank",
  advice_service: "Advice service",
  food_bank_network: "Food bank network",
  university: "University or research centre",
  local_authority: "Local authority",
  lived_experience_group: "Lived-experience group",
  funder: "Funder",
  frontline_service: "Frontline service",
  other: "Other",
};

// From the convening model, lowest to highest. Only "anchor" is set by hand; the rest
// follow from what the organisation does on Convene.
export const ENGAGEMENT_LEVELS = ["user", "member", "contributor", "connector", "anchor"] as const;
export type EngagementLevel = (typeof ENGAGEMENT_LEVELS)[number];
export const ENGAGEMENT_LABELS: Record<EngagementLevel, { label: string; meaning: string }> = {
  user: { label: "User", meaning: "on Convene" },
  member: { label: "Member", meaning: "has signed the shared principles" },
  contributor: { label: "Contributor", meaning: "leads or helps with research tasks" },
  connector: { label: "Connector", meaning: "hosts events" },
  anchor: { label: "Anchor partner", meaning: "set by Convene's admins" },
};

type Facts = { anchorPartner: boolean; signed: boolean; contributes: boolean; hosts: boolean };

/** The highest level whose condition holds. */
export function engagementLevel(f: Facts): EngagementLevel {
  if (f.anchorPartner) return "anchor";
  if (f.hosts) return "connector";
  if (f.contributes) return "contributor";
  if (f.signed) return "member";
  return "user";
}

/** Facts for each organisation, from the data, so the levels follow it. */
async function engagementFacts(orgIds: string[], tx: DbOrTx = db): Promise<Map<string, Facts>> {
  const facts = new Map<string, Facts>();
  if (!orgIds.length) return facts;
  const orgs = await tx.select({ id: schema.organisations.id, anchorPartner: schema.organisations.anchorPartner }).from(schema.organisations).where(inArray(schema.organisations.id, orgIds));
  const signed = await tx
    .selectDistinct({ id: schema.organisationSignatures.organisationId })
    .from(schema.organisationSignatures)
    .where(inArray(schema.organisationSignatures.organisationId, orgIds));
  const signedIds = new Set(signed.map((s) => s.id));
  const contributing = await contributingOrganisationIds(orgIds, tx);
  const hosting = await hostingOrganisationIds(orgIds, tx);
  for (const o of orgs) facts.set(o.id, { anchorPartner: o.anchorPartner, signed: signedIds.has(o.id), contributes: contributing.has(o.id), hosts: hosting.has(o.id) });
  return facts;
}

export type DirectoryFilters = { q?: string; type?: string; region?: string; focus?: string; level?: string };

export async function searchDirectory(filters: DirectoryFilters) {
  const where: SQL[] = [];
  const q = filters.q?.trim().slice(0, 100);
  if (q) where.push(ilike(schema.organisations.name, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filters.type && (ORGANISATION_TYPES as readonly string[]).includes(filters.type)) where.push(eq(schema.organisations.type, filters.type as OrganisationType));
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
        .where(and(inArray(schema.organisationMemberships.organisationId, orgs.map((o) => o.id)), eq(schema.organisationMemberships.status, "active")))
        .groupBy(schema.organisationMemberships.organisationId)
    : [];
  const withLevels = orgs.map((o) => ({
    ...o,
    level: engagementLevel(facts.get(o.id)!),
    memberCount: counts.find((c) => c.id === o.id)?.n ?? 0,
  }));
  return filters.level && (ENGAGEMENT_LEVELS as readonly string[]).includes(filters.level)
    ? withLevels.filter((o) => o.level === filters.level)
    : withLevels;
}

/** Focus areas in use, for the directory's filter. */
export async function focusAreasInUse(): Promise<string[]> {
  const rows = await db.execute<{ focus: string }>(sql`SELECT DISTINCT unnest(focus_areas) AS focus FROM organisations ORDER BY 1`);
  return rows.rows.map((r) => r.focus);
}

async function findOrg(slug: string, tx: DbOrTx = db) {
  const [o] = await tx.select().from(schema.organisations).where(eq(schema.organisations.slug, slug)).limit(1);
  return o ?? null;
}

async function isOrgAdmin(orgId: string, userId: string, tx: DbOrTx = db) {
  const [m] = await tx
    .select({ role: schema.organisationMemberships.role })
    .from(schema.organisationMemberships)
    .where(
      and(
        eq(schema.organisationMemberships.organisationId, orgId),
        eq(schema.organisationMemberships.userId, userId),
        eq(schema.organisationMemberships.status, "active"),
      ),
    );
  return m?.role === "admin";
}

/** Org admins, and Convene's admins, may manage an organisation. */
async function canManage(orgId: string, actor: { id: string } | null, tx: DbOrTx = db) {
  if (!actor) return false;
  return (await isOrgAdmin(orgId, actor.id, tx)) || hasRole({ roles: await rolesOf(actor.id, tx) }, "admin");
}

export async function getOrganisationProfile(slug: string, actor: { id: string } | null) {
  const org = await findOrg(slug);
  if (!org) return null;
  const members = await db
    .select({ id: schema.users.id, name: schema.users.name, role: schema.organisationMemberships.role, status: schema.organisationMemberships.status, requestedAt: schema.organisationMemberships.requestedAt })
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
  const manage = await canManage(org.id, actor);
  const mine = actor ? members.find((m) => m.id === actor.id) : undefined;
  const isSiteAdmin = actor ? hasRole({ roles: await rolesOf(actor.id) }, "admin") : false;
  return {
    org,
    level: engagementLevel(facts),
    members: members.filter((m) => m.status === "active"),
    pending: manage ? members.filter((m) => m.status === "pending") : [],
    signatures,
    canManage: manage,
    isSiteAdmin,
    myStatus: (mine?.status ?? "none") as "none" | "pending" | "active",
  };
}

export type OrgResult = Outcome;
const orgNotFound = (): OrgResult => ({ ok: false, status: 404, message: "We could not find that organisation." });

/** A verified person asks to join an organisation; its admins approve. Asking twice changes nothing. */
export async function requestToJoinOrganisation(actor: { id: string; emailVerifiedAt: Date | null }, slug: string, appUrl: string): Promise<OrgResult> {
  if (!actor.emailVerifiedAt) return { ok: false, status: 403, message: "Please confirm your email address before joining an organisation." };
  const result = await transact(async (tx) => {
    const org = await findOrg(slug, tx);
    if (!org) return orgNotFound();
    const inserted = await tx
      .insert(schema.organisationMemberships)
      .values({ organisationId: org.id, userId: actor.id, role: "member", status: "pending" })
      .onConflictDoNothing()
      .returning({ userId: schema.organisationMemberships.userId });
    if (!inserted.length) return { ok: true as const, message: `You have already asked to join ${org.name}, or already belong to it.` };
    const [requester] = await tx.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, actor.id));
    const admins = await tx
      .select({ email: schema.users.email, name: schema.users.name })
      .from(schema.organisationMemberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.organisationMemberships.userId))
      .where(and(eq(schema.organisationMemberships.organisationId, org.id), eq(schema.organisationMemberships.role, "admin"), eq(schema.organisationMemberships.status, "active")));
    for (const a of admins) {
      await enqueueEmail(tx, a.email, organisationRequestMessage({ admin: a.name, requester: requester?.name ?? "Someone", organisation: org.name, url: `${appUrl}/directory/${org.slug}` }));
    }
    return { ok: true as const, message: `Your request to join ${org.name} has been sent to its admins.`, mailed: admins.length > 0 };
  });
  if ("mailed" in result && result.mailed) notifyOutbox();
  return result.ok ? { ok: true, message: result.message } : result;
}

export async function decideOrganisationRequest(actor: { id: string }, slug: string, userId: string, approve: boolean, appUrl: string): Promise<OrgResult> {
  const result = await transact(async (tx) => {
    const org = await findOrg(slug, tx);
    if (!org) return orgNotFound();
    if (!(await canManage(org.id, actor, tx))) return { ok: false as const, status: 403 as const, message: `Only the admins of ${org.name} can answer requests to join it.` };
    const where = and(
      eq(schema.organisationMemberships.organisationId, org.id),
      eq(schema.organisationMemberships.userId, userId),
      eq(schema.organisationMemberships.status, "pending"),
    );
    const changed = approve
      ? await tx.update(schema.organisationMemberships).set({ status: "active", approvedAt: new Date() }).where(where).returning({ userId: schema.organisationMemberships.userId })
      : await tx.delete(schema.organisationMemberships).where(where).returning({ userId: schema.organisationMemberships.userId });
    if (!changed.length) return { ok: false as const, status: 409 as const, message: "That request has already been answered or withdrawn." };
    const [person] = await tx.select().from(schema.users).where(eq(schema.users.id, userId));
    await enqueueEmail(tx, person.email, organisationDecisionMessage({ name: person.name, organisation: org.name, approved: approve, url: `${appUrl}/directory/${org.slug}` }));
    return { ok: true as const, message: approve ? `${person.name} now belongs to ${org.name}.` : `You declined ${person.name}'s request.` };
  });
  if (result.ok) notifyOutbox();
  return result;
}

/**
 * The ids of an organisation's active admins, their rows locked until the transaction
 * ends, so two admins stepping down at once take turns and one always remains
 * (guard "last-admin").
 */
async function lockAdmins(tx: DbOrTx, organisationId: string) {
  const q = tx
    .select({ userId: schema.organisationMemberships.userId })
    .from(schema.organisationMemberships)
    .where(and(eq(schema.organisationMemberships.organisationId, organisationId), eq(schema.organisationMemberships.role, "admin"), eq(schema.organisationMemberships.status, "active")));
  return (await lockRows(q.orderBy(schema.organisationMemberships.userId), "last-admin")).map((r) => r.userId);
}

/** Leaves an organisation or withdraws a request. The last admin must hand over first. */
export async function leaveOrganisation(actor: { id: string }, slug: string): Promise<OrgResult> {
  return transact(async (tx): Promise<OrgResult> => {
    const org = await findOrg(slug, tx);
    if (!org) return orgNotFound();
    const [mine] = await tx
      .select()
      .from(schema.organisationMemberships)
      .where(and(eq(schema.organisationMemberships.organisationId, org.id), eq(schema.organisationMemberships.userId, actor.id)));
    if (!mine) return { ok: true, message: `You do not belong to ${org.name}.` };
    if (mine.role === "admin" && mine.status === "active") {
      const admins = await lockAdmins(tx, org.id);
      if (admins.length <= 1 && admins.includes(actor.id)) return { ok: false, status: 409, message: `You are the only admin of ${org.name}. Make another member an admin before you leave.` };
    }
    await tx.delete(schema.organisationMemberships).where(and(eq(schema.organisationMemberships.organisationId, org.id), eq(schema.organisationMemberships.userId, actor.id)));
    return { ok: true, message: mine.status === "pending" ? `Your request to join ${org.name} is withdrawn.` : `You no longer belong to ${org.name}.` };
  });
}

/** Org admins make a member an admin (or back). */
export async function setOrganisationRole(actor: { id: string }, slug: string, userId: string, role: "member" | "admin"): Promise<OrgResult> {
  return transact(async (tx): Promise<OrgResult> => {
    const org = await findOrg(slug, tx);
    if (!org) return orgNotFound();
    if (!(await canManage(org.id, actor, tx))) return { ok: false, status: 403, message: `Only the admins of ${org.name} can do that.` };
    if (role === "member") {
      const admins = await lockAdmins(tx, org.id);
      if (admins.length <= 1 && admins.includes(userId)) return { ok: false, status: 409, message: `${org.name} needs at least one admin.` };
    }
    const updated = await tx
      .update(schema.organisationMemberships)
      .set({ role })
      .where(and(eq(schema.organisationMemberships.organisationId, org.id), eq(schema.organisationMemberships.userId, userId), eq(schema.organisationMemberships.status, "active")))
      .returning({ userId: schema.organisationMemberships.userId });
    if (!updated.length) return { ok: false, status: 400, message: "That person is not a member of this organisation." };
    return { ok: true, message: role === "admin" ? "They are now an admin of the organisation." : "They are no longer an admin of the organisation." };
  });
}

export type OrganisationInput = {
  name: string;
  type: OrganisationType;
  about: string;
  regions: string[];
  focusAreas: string[];
  website: string | null;
};

export async function updateOrganisation(actor: { id: string }, slug: string, input: OrganisationInput): Promise<OrgResult> {
  const org = await findOrg(slug);
  if (!org) return orgNotFound();
  if (!(await canManage(org.id, actor))) return { ok: false, status: 403, message: `Only the admins of ${org.name} can edit its profile.` };
  await db.update(schema.organisations).set({ ...input, updatedAt: new Date() }).where(eq(schema.organisations.id, org.id));
  return { ok: true, message: "The profile has been saved." };
}

/**
 * A verified person adds their organisation to the directory and becomes its first admin.
 */
export async function createOrganisation(actor: { id: string; emailVerifiedAt: Date | null }, slug: string, input: OrganisationInput): Promise<OrgResult & { fieldErrors?: Record<string, string> }> {
  if (!actor.emailVerifiedAt) return { ok: false, status: 403, message: "Please confirm your email address before adding an organisation." };
  if (await findOrg(slug)) return { ok: false, status: 409, message: "An organisation with that name is already listed.", fieldErrors: { name: "An organisation with a name like this is already in the directory" } };
  try {
    await db.transaction(async (tx) => {
      const id = newId();
      await tx.insert(schema.organisations).values({ id, slug, ...input });
      await tx.insert(schema.organisationMemberships).values({ organisationId: id, userId: actor.id, role: "admin", status: "active", approvedAt: new Date() });
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, status: 409, message: "An organisation with that name is already listed.", fieldErrors: { name: "An organisation with a name like this is already in the directory" } };
    throw err;
  }
  return { ok: true, message: `${input.name} is in the directory, with you as its admin.` };
}

export async function setAnchorPartner(actor: { id: string }, slug: string, anchor: boolean): Promise<OrgResult> {
  if (!hasRole({ roles: await rolesOf(actor.id) }, "admin")) return { ok: false, status: 403, message: "Only Convene's admins set anchor partners." };
  const updated = await db.update(schema.organisations).set({ anchorPartner: anchor, updatedAt: new Date() }).where(eq(schema.organisations.slug, slug)).returning({ name: schema.organisations.name });
  if (!updated.length) return orgNotFound();
  return { ok: true, message: anchor ? `${updated[0].name} is an anchor partner.` : `${updated[0].name} is no longer an anchor partner.` };
}

/** Organisations a person administers (for signing the principles on their behalf). */
export async function organisationsAdministeredBy(userId: string): Promise<Organisation[]> {
  const rows = await db
    .select({ org: schema.organisations })
    .from(schema.organisationMemberships)
    .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationMemberships.organisationId))
    .where(and(eq(schema.organisationMemberships.userId, userId), eq(schema.organisationMemberships.role, "admin"), eq(schema.organisationMemberships.status, "active")))
    .orderBy(asc(schema.organisations.name));
  return rows.map((r) => r.org);
}

