import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { Community } from "../../db/schema";
import { ADMINS_ONLY, hasRole, isAdmin, rolesOf } from "../auth/permissions.server";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { communityDecisionMessage, communityInvitationMessage } from "../email/templates/communities";
import { publish } from "../utils/bus.server";
import { newId, newToken, sha256hex } from "../utils/crypto.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { isUniqueViolation } from "../utils/db-errors.server";
import { lockRows, transact } from "../utils/locks.server";
import type { Outcome } from "../utils/outcome";
import { sharedRead } from "../utils/request-memo.server";
import { testControls } from "../utils/test-controls.server";
import { organisationsOfPeople } from "./affiliations.server";
import { type CommunityStanding, communityCapabilities, NO_STANDING } from "./community-capabilities";
import { followIn, unfollowIn } from "./follows.server";
import { communityFacilitators, notify, settle } from "./notifications.server";
import { communityTexts } from "./rendered-text.server";

// Communities of practice: who may see one, join it, run it. Every check is here; routes
// only translate results into pages.

export const INVITATION_TTL_MS = 14 * 86_400_000;

type Actor = { id: string } | null;
export type CommunityResult = Outcome;

export type ViewerStanding = CommunityStanding;

const notFound = (): CommunityResult => ({ ok: false, status: 404, message: "We could not find that community." });

/** Where this person stands towards the community, and so what they may do there. */
async function standingIn(community: Community, actor: Actor, tx: DbOrTx = db) {
  if (!actor) return { standing: NO_STANDING, can: communityCapabilities(community, NO_STANDING) };
  const [row] = tx === db ? await membershipRow(community.id, actor.id) : await readMembershipRow(community.id, actor.id, tx);
  const isAdmin = hasRole({ roles: await rolesOf(actor.id, tx) }, "admin");
  const standing: CommunityStanding = { signedIn: true, status: row?.status ?? "none", role: row?.status === "active" ? row.role : null, isAdmin };
  return { standing, can: communityCapabilities(community, standing) };
}

function readMembershipRow(communityId: string, userId: string, tx: DbOrTx = db) {
  return tx
    .select({ status: schema.communityMemberships.status, role: schema.communityMemberships.role })
    .from(schema.communityMemberships)
    .where(and(eq(schema.communityMemberships.communityId, communityId), eq(schema.communityMemberships.userId, userId)));
}

/** Shared between requests while the data is unchanged (sharedRead). */
const membershipRow = sharedRead("community.membership", (communityId: string, userId: string) => readMembershipRow(communityId, userId));

async function findBySlug(slug: string, tx: DbOrTx = db) {
  if (tx === db) return communityBySlug(slug);
  const [c] = await tx.select().from(schema.communities).where(eq(schema.communities.slug, slug)).limit(1);
  return c ?? null;
}

const communityBySlug = sharedRead("community.bySlug", async (slug: string) => {
  const [c] = await db.select().from(schema.communities).where(eq(schema.communities.slug, slug)).limit(1);
  return c ?? null;
});

/** A community's active member count and its facilitators, whoever asks (shared between requests). */
const communityPeople = sharedRead("community.people", async (communityId: string) => {
  const [[{ members }], facilitators] = await Promise.all([
    db
      .select({ members: count() })
      .from(schema.communityMemberships)
      .where(and(eq(schema.communityMemberships.communityId, communityId), eq(schema.communityMemberships.status, "active"))),
    db
      .select({ id: schema.users.id, name: schema.users.name })
      .from(schema.communityMemberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.communityMemberships.userId))
      .where(
        and(
          eq(schema.communityMemberships.communityId, communityId),
          eq(schema.communityMemberships.status, "active"),
          eq(schema.communityMemberships.role, "facilitator"),
        ),
      )
      .orderBy(asc(schema.users.name)),
  ]);
  return { members, facilitators };
});

/** The community as this viewer may see it, or null (which routes turn into a 404). */
export async function getCommunityForViewer(slug: string, actor: Actor) {
  const community = await findBySlug(slug);
  if (!community) return null;
  const { standing, can } = await standingIn(community, actor);
  if (!can.see) return null;
  if (!can.read) {
    // A pending requester of a private community: its name and their request, nothing more.
    const { id, slug: s, name, joinPolicy, visibility } = community;
    return {
      community: { id, slug: s, name, joinPolicy, visibility, summary: "", about: "", aboutHtml: "" },
      limited: true as const,
      memberCount: null,
      facilitators: [],
      pending: [],
      standing,
      can,
    };
  }
  const { members, facilitators } = await communityPeople(community.id);
  const pending = can.facilitate
    ? await db
        .select({
          userId: schema.users.id,
          name: schema.users.name,
          email: schema.users.email,
          message: schema.communityMemberships.requestMessage,
          requestedAt: schema.communityMemberships.requestedAt,
        })
        .from(schema.communityMemberships)
        .innerJoin(schema.users, eq(schema.users.id, schema.communityMemberships.userId))
        .where(and(eq(schema.communityMemberships.communityId, community.id), eq(schema.communityMemberships.status, "pending")))
        .orderBy(asc(schema.communityMemberships.requestedAt))
    : [];
  return {
    community,
    limited: false as const,
    memberCount: members as number | null,
    facilitators,
    pending,
    standing,
    can,
  };
}

export async function listCommunities(actor: Actor) {
  const isAdmin = actor ? hasRole({ roles: await rolesOf(actor.id) }, "admin") : false;
  const all = await db.select().from(schema.communities).orderBy(asc(schema.communities.name));
  const mine = actor ? await db.select().from(schema.communityMemberships).where(eq(schema.communityMemberships.userId, actor.id)) : [];
  const counts = await db
    .select({ communityId: schema.communityMemberships.communityId, n: count() })
    .from(schema.communityMemberships)
    .where(eq(schema.communityMemberships.status, "active"))
    .groupBy(schema.communityMemberships.communityId);
  return all
    .map((c) => {
      const m = mine.find((x) => x.communityId === c.id);
      return {
        ...c,
        memberCount: counts.find((x) => x.communityId === c.id)?.n ?? 0,
        myStatus: (m?.status ?? "none") as ViewerStanding["status"],
        myRole: m?.status === "active" ? m.role : null,
      };
    })
    .filter((c) => c.visibility === "public" || isAdmin || c.myStatus !== "none");
}

/** Member directory, or null when this viewer may not see it (the route says why). */
export async function listMembers(slug: string, actor: Actor) {
  const view = await getCommunityForViewer(slug, actor);
  if (!view) return { view: null, members: null };
  if (!view.can.seeMembers) return { view, members: null };
  const rows = await db
    .select({
      userId: schema.users.id,
      name: schema.users.name,
      role: schema.communityMemberships.role,
      joinedAt: schema.communityMemberships.joinedAt,
    })
    .from(schema.communityMemberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.communityMemberships.userId))
    .where(and(eq(schema.communityMemberships.communityId, view.community.id), eq(schema.communityMemberships.status, "active")))
    .orderBy(sql`${schema.communityMemberships.role} = 'facilitator' desc`, asc(schema.users.name));
  const orgs = await organisationsOfPeople(rows.map((r) => r.userId));
  return {
    view,
    members: rows.map((r) => ({ ...r, organisations: orgs.get(r.userId) ?? [] })),
  };
}

/**
 * Joins an open community at once, or asks to join one that needs approval. Doing it
 * twice changes nothing: the (community, person) primary key holds one row.
 */
export async function joinCommunity(actor: { id: string }, slug: string, message: string | null): Promise<CommunityResult> {
  const result = await transact(async (tx) => {
    const community = await findBySlug(slug, tx);
    if (!community) return notFound();
    const { standing, can } = await standingIn(community, actor, tx);
    if (!can.see) return notFound();
    if (standing.status === "active") return { ok: true as const, message: `You are already a member of ${community.name}.` };
    if (standing.status === "pending") return { ok: true as const, message: `Your request to join ${community.name} is already with its facilitators.` };
    const open = community.joinPolicy === "open";
    const inserted = await tx
      .insert(schema.communityMemberships)
      .values({
        communityId: community.id,
        userId: actor.id,
        status: open ? "active" : "pending",
        requestMessage: open ? null : message?.trim().slice(0, 1000) || null,
        joinedAt: open ? new Date() : null,
      })
      .onConflictDoNothing()
      .returning({ status: schema.communityMemberships.status });
    if (!inserted.length) return { ok: true as const, message: `You are already part of ${community.name}.` };
    if (open) {
      await followIn(tx, actor.id, "community", community.id);
      return { ok: true as const, message: `You have joined ${community.name}.` };
    }
    const [requester] = await tx.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, actor.id));
    const said = message?.trim() ? `: “${message.trim().slice(0, 200)}”` : "";
    await notify(
      tx,
      communityFacilitators(community.id),
      {
        kind: "join_requests",
        subjectKey: `community-request:${community.id}:${actor.id}`,
        spaceKind: "community",
        spaceTitle: community.name,
        text: `${requester?.name ?? "Someone"} asks to join ${community.name}${said}`,
        path: `/communities/${community.slug}/members`,
      },
      actor.id,
    );
    return {
      ok: true as const,
      message: `Your request to join ${community.name} has been sent to its facilitators. We will email you their answer.`,
      mailed: true,
    };
  });
  if ("mailed" in result) notifyOutbox();
  return result.ok ? { ok: true, message: result.message } : result;
}

/**
 * The ids of a community's active facilitators, their rows locked until the transaction
 * ends: two facilitators stepping down at once take turns, so the second sees that the
 * first has gone and a community is never left without one (guard "last-facilitator").
 */
async function lockFacilitators(tx: DbOrTx, communityId: string) {
  const q = tx
    .select({ userId: schema.communityMemberships.userId })
    .from(schema.communityMemberships)
    .where(
      and(
        eq(schema.communityMemberships.communityId, communityId),
        eq(schema.communityMemberships.role, "facilitator"),
        eq(schema.communityMemberships.status, "active"),
      ),
    );
  return (await lockRows(q.orderBy(schema.communityMemberships.userId), "last-facilitator")).map((r) => r.userId);
}

/** Leaves a community, or withdraws a pending request. */
export async function leaveCommunity(actor: { id: string }, slug: string): Promise<CommunityResult> {
  const result = await transact(async (tx): Promise<CommunityResult & { left?: string }> => {
    const community = await findBySlug(slug, tx);
    if (!community) return notFound();
    const { standing, can } = await standingIn(community, actor, tx);
    if (!can.leave && !can.withdraw) return can.see ? { ok: true, message: `You are not a member of ${community.name}.` } : notFound();
    if (standing.role === "facilitator") {
      const facilitators = await lockFacilitators(tx, community.id);
      if (facilitators.length <= 1 && facilitators.includes(actor.id))
        return { ok: false, status: 409, message: "You are the only facilitator. Appoint another facilitator before you leave." };
    }
    await tx
      .delete(schema.communityMemberships)
      .where(and(eq(schema.communityMemberships.communityId, community.id), eq(schema.communityMemberships.userId, actor.id)));
    if (standing.status === "pending") {
      await settle(tx, `community-request:${community.id}:${actor.id}`);
      return { ok: true, message: `Your request to join ${community.name} is withdrawn.` };
    }
    await unfollowIn(tx, actor.id, "community", community.id);
    return { ok: true, message: `You have left ${community.name}.`, left: community.id };
  });
  if (result.ok && result.left && !testControls.roomOnlyDelivery) {
    // Their open sockets stop hearing the community's thread (app/realtime).
    const [thread] = await db
      .select({ id: schema.threads.id })
      .from(schema.threads)
      .where(and(eq(schema.threads.subjectKind, "community"), eq(schema.threads.subjectId, result.left)));
    publish("community.access_ended", { userId: actor.id, threadId: thread?.id ?? null });
  }
  return result.ok ? { ok: true, message: result.message } : result;
}

/** A facilitator (or admin) approves or declines a pending request; the requester is emailed either way. */
export async function decideJoinRequest(
  actor: { id: string },
  slug: string,
  userId: string,
  approve: boolean,
  message: string | null,
  appUrl: string,
): Promise<CommunityResult> {
  const result = await transact(async (tx) => {
    const community = await findBySlug(slug, tx);
    if (!community) return notFound();
    const { can } = await standingIn(community, actor, tx);
    if (!can.see) return notFound();
    if (!can.facilitate) return { ok: false as const, status: 403 as const, message: "Only this community's facilitators can answer join requests." };
    const where = and(
      eq(schema.communityMemberships.communityId, community.id),
      eq(schema.communityMemberships.userId, userId),
      eq(schema.communityMemberships.status, "pending"),
    );
    const changed = approve
      ? await tx
          .update(schema.communityMemberships)
          .set({ status: "active", joinedAt: new Date() })
          .where(where)
          .returning({ userId: schema.communityMemberships.userId })
      : await tx.delete(schema.communityMemberships).where(where).returning({ userId: schema.communityMemberships.userId });
    if (!changed.length) return { ok: false as const, status: 409 as const, message: "That request has already been answered or withdrawn." };
    await settle(tx, `community-request:${community.id}:${userId}`);
    if (approve) await followIn(tx, userId, "community", community.id);
    const [requester] = await tx.select().from(schema.users).where(eq(schema.users.id, userId));
    await enqueueEmail(
      tx,
      requester.email,
      communityDecisionMessage({
        name: requester.name,
        community: community.name,
        approved: approve,
        message: message?.trim() || null,
        url: `${appUrl}/communities/${community.slug}`,
      }),
    );
    return { ok: true as const, message: approve ? `${requester.name} is now a member.` : `You declined ${requester.name}'s request.` };
  });
  if (result.ok) notifyOutbox();
  return result;
}

/** Makes a member a facilitator (facilitators and admins), or back into a member. */
export async function setCommunityRole(actor: { id: string }, slug: string, userId: string, role: "member" | "facilitator"): Promise<CommunityResult> {
  return transact(async (tx): Promise<CommunityResult> => {
    const community = await findBySlug(slug, tx);
    if (!community) return notFound();
    const { standing, can } = await standingIn(community, actor, tx);
    if (!can.see) return notFound();
    if (!can.facilitate) return { ok: false, status: 403, message: "Only this community's facilitators can appoint facilitators." };
    const [target] = await tx.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, userId));
    if (!target) return { ok: false, status: 404, message: "That person no longer exists." };
    const [membership] = await tx
      .select()
      .from(schema.communityMemberships)
      .where(and(eq(schema.communityMemberships.communityId, community.id), eq(schema.communityMemberships.userId, userId)));
    if (role === "member") {
      if (membership?.role !== "facilitator") return { ok: true, message: `${target.name} is not a facilitator.` };
      const facilitators = await lockFacilitators(tx, community.id);
      if (facilitators.length <= 1 && facilitators.includes(userId)) return { ok: false, status: 409, message: "A community needs at least one facilitator." };
      await tx
        .update(schema.communityMemberships)
        .set({ role: "member" })
        .where(and(eq(schema.communityMemberships.communityId, community.id), eq(schema.communityMemberships.userId, userId)));
      return { ok: true, message: `${target.name} is no longer a facilitator.` };
    }
    // Facilitators appoint from the membership; admins may appoint anyone (a new community has no members yet).
    if (membership?.status !== "active" && !standing.isAdmin)
      return { ok: false, status: 400, message: `${target.name} must be a member before becoming a facilitator.` };
    await tx
      .insert(schema.communityMemberships)
      .values({ communityId: community.id, userId, role: "facilitator", status: "active", joinedAt: new Date() })
      .onConflictDoUpdate({
        target: [schema.communityMemberships.communityId, schema.communityMemberships.userId],
        set: { role: "facilitator", status: "active", joinedAt: sql`coalesce(${schema.communityMemberships.joinedAt}, now())` },
      });
    return { ok: true, message: `${target.name} is now a facilitator of ${community.name}.` };
  });
}

/** Facilitators invite by email; the emailed link lets its holder join at once, without approval. */
export async function inviteToCommunity(actor: { id: string }, slug: string, email: string, appUrl: string): Promise<CommunityResult> {
  const result = await transact(async (tx) => {
    const community = await findBySlug(slug, tx);
    if (!community) return notFound();
    const { can } = await standingIn(community, actor, tx);
    if (!can.see) return notFound();
    if (!can.facilitate) return { ok: false as const, status: 403 as const, message: "Only this community's facilitators can invite people." };
    const [inviter] = await tx.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, actor.id));
    const token = newToken();
    await tx.insert(schema.communityInvitations).values({
      id: newId(),
      communityId: community.id,
      email,
      tokenHash: sha256hex(token),
      invitedBy: actor.id,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    await enqueueEmail(
      tx,
      email,
      communityInvitationMessage({
        inviter: inviter?.name ?? "A facilitator",
        community: community.name,
        summary: community.summary,
        url: `${appUrl}/communities/invitations/${token}`,
      }),
    );
    return { ok: true as const, message: `We have emailed an invitation to ${email}.` };
  });
  if (result.ok) notifyOutbox();
  return result;
}

export async function peekInvitation(token: string) {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ community: schema.communities })
    .from(schema.communityInvitations)
    .innerJoin(schema.communities, eq(schema.communities.id, schema.communityInvitations.communityId))
    .where(
      and(
        eq(schema.communityInvitations.tokenHash, sha256hex(token)),
        isNull(schema.communityInvitations.usedAt),
        gt(schema.communityInvitations.expiresAt, new Date()),
      ),
    );
  return row?.community ?? null;
}

export async function acceptInvitation(actor: { id: string }, token: string): Promise<CommunityResult & { slug?: string }> {
  return transact(async (tx) => {
    if (!token || token.length > 200) return { ok: false, status: 400, message: "This invitation has expired or has already been used." };
    // An invitation is for the address it was sent to, once that address is confirmed: a
    // forwarded link does not make whoever opens it a member.
    const [me] = await tx.select({ email: schema.users.email, verified: schema.users.emailVerifiedAt }).from(schema.users).where(eq(schema.users.id, actor.id));
    const [sent] = await tx
      .select({ email: schema.communityInvitations.email })
      .from(schema.communityInvitations)
      .where(eq(schema.communityInvitations.tokenHash, sha256hex(token)));
    if (sent && me && sent.email.toLowerCase() !== me.email.toLowerCase()) {
      return {
        ok: false,
        status: 403,
        message: "This invitation was sent to another email address. Ask the facilitator to invite the address you use on Convene.",
      };
    }
    if (sent && me && !me.verified) {
      return { ok: false, status: 403, message: "Confirm your email address first (we sent you a link), then open the invitation again." };
    }
    const [inv] = await tx
      .update(schema.communityInvitations)
      .set({ usedAt: new Date(), usedBy: actor.id })
      .where(
        and(
          eq(schema.communityInvitations.tokenHash, sha256hex(token)),
          isNull(schema.communityInvitations.usedAt),
          gt(schema.communityInvitations.expiresAt, new Date()),
        ),
      )
      .returning({ communityId: schema.communityInvitations.communityId });
    if (!inv) return { ok: false, status: 400, message: "This invitation has expired or has already been used." };
    const [community] = await tx.select().from(schema.communities).where(eq(schema.communities.id, inv.communityId));
    await tx
      .insert(schema.communityMemberships)
      .values({ communityId: community.id, userId: actor.id, status: "active", joinedAt: new Date() })
      .onConflictDoUpdate({
        target: [schema.communityMemberships.communityId, schema.communityMemberships.userId],
        set: { status: "active", joinedAt: sql`coalesce(${schema.communityMemberships.joinedAt}, now())` },
      });
    await followIn(tx, actor.id, "community", community.id);
    return { ok: true, message: `Welcome to ${community.name}.`, slug: community.slug };
  });
}

// ---------------------------------------------------------------- admin

export type CommunityInput = {
  name: string;
  slug: string;
  summary: string;
  about: string;
  joinPolicy: "open" | "approval";
  visibility: "public" | "private";
};

export async function createCommunity(actor: { id: string }, input: CommunityInput): Promise<CommunityResult & { fieldErrors?: Record<string, string> }> {
  if (!(await isAdmin(actor.id))) return ADMINS_ONLY;
  if (await findBySlug(input.slug))
    return { ok: false, status: 409, message: "That web address is taken.", fieldErrors: { slug: "Another community already uses this web address" } };
  try {
    await db.insert(schema.communities).values({ id: newId(), ...input, ...communityTexts(input.about), createdBy: actor.id });
  } catch (err) {
    if (isUniqueViolation(err))
      return { ok: false, status: 409, message: "That web address is taken.", fieldErrors: { slug: "Another community already uses this web address" } };
    throw err;
  }
  return { ok: true, message: `${input.name} has been created. Now appoint its facilitators.` };
}

export async function updateCommunity(actor: { id: string }, slug: string, input: Omit<CommunityInput, "slug">): Promise<CommunityResult> {
  if (!(await isAdmin(actor.id))) return ADMINS_ONLY;
  const updated = await db
    .update(schema.communities)
    .set({ ...input, ...communityTexts(input.about), updatedAt: new Date() })
    .where(eq(schema.communities.slug, slug))
    .returning({ id: schema.communities.id });
  return updated.length ? { ok: true, message: `${input.name} has been saved.` } : notFound();
}

/** Every community, for the admin pages; null for anyone else. */
export async function listAllCommunitiesForAdmin(actor: { id: string }) {
  if (!(await isAdmin(actor.id))) return null;
  return listCommunities(actor);
}

/** A community for the admin pages; null when not found, or for anyone but an admin. */
export async function getCommunityForAdmin(actor: { id: string }, slug: string) {
  if (!(await isAdmin(actor.id))) return null;
  return getCommunityForViewer(slug, actor);
}

/** Public communities that members of an organisation belong to (for its profile). */
export async function communitiesOfOrganisation(organisationId: string) {
  return db
    .selectDistinct({ name: schema.communities.name, slug: schema.communities.slug })
    .from(schema.communities)
    .innerJoin(schema.communityMemberships, eq(schema.communityMemberships.communityId, schema.communities.id))
    .innerJoin(
      schema.organisationMemberships,
      and(eq(schema.organisationMemberships.userId, schema.communityMemberships.userId), eq(schema.organisationMemberships.status, "active")),
    )
    .where(
      and(
        eq(schema.organisationMemberships.organisationId, organisationId),
        eq(schema.communities.visibility, "public"),
        eq(schema.communityMemberships.status, "active"),
      ),
    )
    .orderBy(asc(schema.communities.name));
}

/** A community and what this viewer may do in it (threads, feeds), or null when there is none. */
export async function communityAccess(slug: string, actor: Actor) {
  const community = await findBySlug(slug);
  if (!community) return null;
  const { can } = await standingIn(community, actor);
  return { community, can };
}

/** The community if this viewer may read it (its calendar feed, its events), else null. */
export async function findReadableCommunity(slug: string, actor: Actor) {
  const access = await communityAccess(slug, actor);
  return access?.can.read ? access.community : null;
}
