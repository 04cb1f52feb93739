import { and, asc, eq } from "drizzle-orm";
import type { Organisation, OrganisationType } from "../../db/schema";
import { hasRole, rolesOf } from "../auth/permissions.server";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { organisationDecisionMessage } from "../email/templates/communities";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { isUniqueViolation } from "../utils/db-errors.server";
import { lockRows, transact } from "../utils/locks.server";
import type { Outcome } from "../utils/outcome";
import { followIn } from "./follows.server";
import { notify, organisationAdmins, settle } from "./notifications.server";
import { NO_ORGANISATION_STANDING, type OrganisationStanding, organisationCapabilities } from "./organisation-capabilities";

// Organisations and their membership: asking to join, deciding requests, leaving (never
// the last admin), roles, editing, creating. The directory and engagement levels are in
// directory.server.ts; labels and regions in organisation-types.ts.

/** An organisation by its address. */
export async function findOrg(slug: string, tx: DbOrTx = db) {
  const [o] = await tx.select().from(schema.organisations).where(eq(schema.organisations.slug, slug)).limit(1);
  return o ?? null;
}

/** Where this person stands towards the organisation, and so what they may do with it. */
export async function standingInOrganisation(orgId: string, actor: { id: string } | null, tx: DbOrTx = db) {
  if (!actor) return { standing: NO_ORGANISATION_STANDING, can: organisationCapabilities(NO_ORGANISATION_STANDING) };
  const om = schema.organisationMemberships;
  const [row] = await tx
    .select({ verifiedAt: schema.users.emailVerifiedAt, status: om.status, role: om.role })
    .from(schema.users)
    .leftJoin(om, and(eq(om.userId, schema.users.id), eq(om.organisationId, orgId)))
    .where(eq(schema.users.id, actor.id));
  const standing: OrganisationStanding = {
    signedIn: true,
    verified: !!row?.verifiedAt,
    status: row?.status ?? "none",
    role: row?.status === "active" ? row.role : null,
    isSiteAdmin: hasRole({ roles: await rolesOf(actor.id, tx) }, "admin"),
  };
  return { standing, can: organisationCapabilities(standing) };
}

export type OrgResult = Outcome;
const orgNotFound = (): OrgResult => ({ ok: false, status: 404, message: "We could not find that organisation." });

/** A verified person asks to join an organisation; its admins approve. Asking twice changes nothing. */
export async function requestToJoinOrganisation(actor: { id: string; emailVerifiedAt: Date | null }, slug: string): Promise<OrgResult> {
  const result = await transact(async (tx) => {
    const org = await findOrg(slug, tx);
    if (!org) return orgNotFound();
    const { standing, can } = await standingInOrganisation(org.id, actor, tx);
    if (!standing.verified) return { ok: false as const, status: 403 as const, message: "Please confirm your email address before joining an organisation." };
    if (!can.requestToJoin) return { ok: true as const, message: `You have already asked to join ${org.name}, or already belong to it.` };
    const inserted = await tx
      .insert(schema.organisationMemberships)
      .values({ organisationId: org.id, userId: actor.id, role: "member", status: "pending" })
      .onConflictDoNothing()
      .returning({ userId: schema.organisationMemberships.userId });
    if (!inserted.length) return { ok: true as const, message: `You have already asked to join ${org.name}, or already belong to it.` };
    const [requester] = await tx.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, actor.id));
    await notify(
      tx,
      organisationAdmins(org.id),
      {
        kind: "join_requests",
        subjectKey: `organisation-request:${org.id}:${actor.id}`,
        spaceKind: "organisation",
        spaceTitle: org.name,
        text: `${requester?.name ?? "Someone"} says they belong to ${org.name} and asks to join it on Convene`,
        path: `/directory/${org.slug}`,
      },
      actor.id,
    );
    return { ok: true as const, message: `Your request to join ${org.name} has been sent to its admins.` };
  });
  return result.ok ? { ok: true, message: result.message } : result;
}

export async function decideOrganisationRequest(actor: { id: string }, slug: string, userId: string, approve: boolean, appUrl: string): Promise<OrgResult> {
  const result = await transact(async (tx) => {
    const org = await findOrg(slug, tx);
    if (!org) return orgNotFound();
    if (!(await standingInOrganisation(org.id, actor, tx)).can.manage)
      return { ok: false as const, status: 403 as const, message: `Only the admins of ${org.name} can answer requests to join it.` };
    const where = and(
      eq(schema.organisationMemberships.organisationId, org.id),
      eq(schema.organisationMemberships.userId, userId),
      eq(schema.organisationMemberships.status, "pending"),
    );
    const changed = approve
      ? await tx
          .update(schema.organisationMemberships)
          .set({ status: "active", approvedAt: new Date() })
          .where(where)
          .returning({ userId: schema.organisationMemberships.userId })
      : await tx.delete(schema.organisationMemberships).where(where).returning({ userId: schema.organisationMemberships.userId });
    if (!changed.length) return { ok: false as const, status: 409 as const, message: "That request has already been answered or withdrawn." };
    await settle(tx, `organisation-request:${org.id}:${userId}`);
    if (approve) await followIn(tx, userId, "organisation", org.id);
    const [person] = await tx.select().from(schema.users).where(eq(schema.users.id, userId));
    await enqueueEmail(
      tx,
      person.email,
      organisationDecisionMessage({ name: person.name, organisation: org.name, approved: approve, url: `${appUrl}/directory/${org.slug}` }),
    );
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
    .where(
      and(
        eq(schema.organisationMemberships.organisationId, organisationId),
        eq(schema.organisationMemberships.role, "admin"),
        eq(schema.organisationMemberships.status, "active"),
      ),
    );
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
      if (admins.length <= 1 && admins.includes(actor.id))
        return { ok: false, status: 409, message: `You are the only admin of ${org.name}. Make another member an admin before you leave.` };
    }
    await tx
      .delete(schema.organisationMemberships)
      .where(and(eq(schema.organisationMemberships.organisationId, org.id), eq(schema.organisationMemberships.userId, actor.id)));
    if (mine.status === "pending") await settle(tx, `organisation-request:${org.id}:${actor.id}`);
    return { ok: true, message: mine.status === "pending" ? `Your request to join ${org.name} is withdrawn.` : `You no longer belong to ${org.name}.` };
  });
}

/** Org admins make a member an admin (or back). */
export async function setOrganisationRole(actor: { id: string }, slug: string, userId: string, role: "member" | "admin"): Promise<OrgResult> {
  return transact(async (tx): Promise<OrgResult> => {
    const org = await findOrg(slug, tx);
    if (!org) return orgNotFound();
    if (!(await standingInOrganisation(org.id, actor, tx)).can.manage)
      return { ok: false, status: 403, message: `Only the admins of ${org.name} can do that.` };
    if (role === "member") {
      const admins = await lockAdmins(tx, org.id);
      if (admins.length <= 1 && admins.includes(userId)) return { ok: false, status: 409, message: `${org.name} needs at least one admin.` };
    }
    const updated = await tx
      .update(schema.organisationMemberships)
      .set({ role })
      .where(
        and(
          eq(schema.organisationMemberships.organisationId, org.id),
          eq(schema.organisationMemberships.userId, userId),
          eq(schema.organisationMemberships.status, "active"),
        ),
      )
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
  if (!(await standingInOrganisation(org.id, actor)).can.manage)
    return { ok: false, status: 403, message: `Only the admins of ${org.name} can edit its profile.` };
  await db
    .update(schema.organisations)
    .set({ ...input, updatedAt: new Date() })
    .where(eq(schema.organisations.id, org.id));
  return { ok: true, message: "The profile has been saved." };
}

/**
 * A verified person adds their organisation to the directory and becomes its first admin.
 */
export async function createOrganisation(
  actor: { id: string; emailVerifiedAt: Date | null },
  slug: string,
  input: OrganisationInput,
): Promise<OrgResult & { fieldErrors?: Record<string, string> }> {
  if (!actor.emailVerifiedAt) return { ok: false, status: 403, message: "Please confirm your email address before adding an organisation." };
  if (await findOrg(slug))
    return {
      ok: false,
      status: 409,
      message: "An organisation with that name is already listed.",
      fieldErrors: { name: "An organisation with a name like this is already in the directory" },
    };
  try {
    await db.transaction(async (tx) => {
      const id = newId();
      await tx.insert(schema.organisations).values({ id, slug, ...input });
      await tx.insert(schema.organisationMemberships).values({ organisationId: id, userId: actor.id, role: "admin", status: "active", approvedAt: new Date() });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      return {
        ok: false,
        status: 409,
        message: "An organisation with that name is already listed.",
        fieldErrors: { name: "An organisation with a name like this is already in the directory" },
      };
    throw err;
  }
  return { ok: true, message: `${input.name} is in the directory, with you as its admin.` };
}

export async function setAnchorPartner(actor: { id: string }, slug: string, anchor: boolean): Promise<OrgResult> {
  if (!organisationCapabilities({ ...NO_ORGANISATION_STANDING, isSiteAdmin: hasRole({ roles: await rolesOf(actor.id) }, "admin") }).markAnchor)
    return { ok: false, status: 403, message: "Only Convene's admins set anchor partners." };
  const updated = await db
    .update(schema.organisations)
    .set({ anchorPartner: anchor, updatedAt: new Date() })
    .where(eq(schema.organisations.slug, slug))
    .returning({ name: schema.organisations.name });
  if (!updated.length) return orgNotFound();
  return { ok: true, message: anchor ? `${updated[0].name} is an anchor partner.` : `${updated[0].name} is no longer an anchor partner.` };
}

/** Organisations a person administers (for signing the principles on their behalf). */
export async function organisationsAdministeredBy(userId: string): Promise<Organisation[]> {
  const rows = await db
    .select({ org: schema.organisations })
    .from(schema.organisationMemberships)
    .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationMemberships.organisationId))
    .where(
      and(
        eq(schema.organisationMemberships.userId, userId),
        eq(schema.organisationMemberships.role, "admin"),
        eq(schema.organisationMemberships.status, "active"),
      ),
    )
    .orderBy(asc(schema.organisations.name));
  return rows.map((r) => r.org);
}
