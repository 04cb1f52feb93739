import { eq, sql } from "drizzle-orm";
import { transact } from "../utils/locks.server";
import { type Done, done, FIELDS_MESSAGE } from "../utils/outcome";

const FORMER_MEMBER = "a former member";
/** A LIKE pattern for text containing `s` (its %, _ and \ escaped). */
const containing = (s: string) => `%${s.replace(/[\\%_]/g, (c: string) => `\\${c}`)}%`;

import { verifyPassword } from "../auth/password.server";
import { paramValue } from "../calendar/ics.server";
import { publish } from "../utils/bus.server";
import { db, schema, type Transaction } from "../utils/db.server";
import { env } from "../utils/env.server";
import { checkLimit, consumeLimit } from "../utils/rate-limit.server";
import { gapContributionsOf } from "./data-gaps.server";
import { notesWrittenBy, sourcesProposedBy, suggestionsBy } from "./data-sources.server";
import { digestTimeOf, preferencesOf } from "./email-preferences.server";
import { followsOf } from "./follows.server";
import { beforeAccountDeletion, paymentClaimsOf } from "./payment-claims.server";
import { paymentChoicesOf } from "./payments.server";
import { cancelRegistrationsOfDeletedPerson, registrationsOfPerson } from "./registrations.server";
import { tasksOfPerson } from "./task-reads.server";
import { helpOffersOf, researcherProfileOf } from "./task-research.server";
import { releaseTasksOfDeletedPerson } from "./tasks.server";
import { messagesOfPerson } from "./threads.server";
import type { Failure } from "./users.server";

// "Your data": what a person can download about themselves, and what deleting their
// account removes. Each later area adds one export section and, where rows are not
// removed by ON DELETE CASCADE, one deletion step, so both stay complete.

type ExportSection = (userId: string) => Promise<unknown>;
type DeletionStep = (tx: Transaction, user: { id: string; email: string; name: string }) => Promise<void>;

const exportSections: Record<string, ExportSection> = {
  profile: async (userId) => {
    const [u] = await db
      .select({
        id: schema.users.id,
        name: schema.users.name,
        email: schema.users.email,
        emailVerifiedAt: schema.users.emailVerifiedAt,
        createdAt: schema.users.createdAt,
        updatedAt: schema.users.updatedAt,
      })
      .from(schema.users)
      .where(eq(schema.users.id, userId));
    return u ?? null;
  },
  roles: async (userId) =>
    db.select({ role: schema.userRoles.role, grantedAt: schema.userRoles.grantedAt }).from(schema.userRoles).where(eq(schema.userRoles.userId, userId)),
  sessions: async (userId) =>
    db
      .select({ createdAt: schema.sessions.createdAt, expiresAt: schema.sessions.expiresAt, device: schema.sessions.userAgent })
      .from(schema.sessions)
      .where(eq(schema.sessions.userId, userId)),
  organisations: async (userId) =>
    db
      .select({
        organisation: schema.organisations.name,
        slug: schema.organisations.slug,
        role: schema.organisationMemberships.role,
        status: schema.organisationMemberships.status,
        requestedAt: schema.organisationMemberships.requestedAt,
        approvedAt: schema.organisationMemberships.approvedAt,
      })
      .from(schema.organisationMemberships)
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationMemberships.organisationId))
      .where(eq(schema.organisationMemberships.userId, userId)),
  communities: async (userId) =>
    db
      .select({
        community: schema.communities.name,
        slug: schema.communities.slug,
        role: schema.communityMemberships.role,
        status: schema.communityMemberships.status,
        requestMessage: schema.communityMemberships.requestMessage,
        requestedAt: schema.communityMemberships.requestedAt,
        joinedAt: schema.communityMemberships.joinedAt,
      })
      .from(schema.communityMemberships)
      .innerJoin(schema.communities, eq(schema.communities.id, schema.communityMemberships.communityId))
      .where(eq(schema.communityMemberships.userId, userId)),
  communityInvitationsSent: async (userId) =>
    db
      .select({
        community: schema.communities.name,
        email: schema.communityInvitations.email,
        createdAt: schema.communityInvitations.createdAt,
        usedAt: schema.communityInvitations.usedAt,
      })
      .from(schema.communityInvitations)
      .innerJoin(schema.communities, eq(schema.communities.id, schema.communityInvitations.communityId))
      .where(eq(schema.communityInvitations.invitedBy, userId)),
  principlesSigned: async (userId) =>
    db
      .select({ version: schema.principleSignatures.version, signedAt: schema.principleSignatures.signedAt })
      .from(schema.principleSignatures)
      .where(eq(schema.principleSignatures.userId, userId)),
  principlesSignedForOrganisations: async (userId) =>
    db
      .select({ organisation: schema.organisations.name, version: schema.organisationSignatures.version, signedAt: schema.organisationSignatures.signedAt })
      .from(schema.organisationSignatures)
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationSignatures.organisationId))
      .where(eq(schema.organisationSignatures.signedBy, userId)),
  eventRegistrations: async (userId) => registrationsOfPerson(userId),
  eventsOrganised: async (userId) =>
    db
      .select({ title: schema.events.title, slug: schema.events.slug, startsAt: schema.events.startsAt, state: schema.events.state })
      .from(schema.eventOrganisers)
      .innerJoin(schema.events, eq(schema.events.id, schema.eventOrganisers.eventId))
      .where(eq(schema.eventOrganisers.userId, userId)),
  researchTasks: async (userId) => tasksOfPerson(userId),
  threadMessages: async (userId) => messagesOfPerson(userId),
  // The feed's token is never stored, so it cannot be exported: only that the feed exists.
  calendarFeed: async (userId) =>
    db
      .select({ createdAt: schema.calendarFeeds.createdAt, lastFetchedAt: schema.calendarFeeds.lastFetchedAt })
      .from(schema.calendarFeeds)
      .where(eq(schema.calendarFeeds.userId, userId)),
  researchTaskHistory: async (userId) =>
    db
      .select({ taskId: schema.taskHistory.taskId, what: schema.taskHistory.summary, when: schema.taskHistory.createdAt })
      .from(schema.taskHistory)
      .where(eq(schema.taskHistory.actorId, userId)),
  // Push updates: what they follow, their notifications and their choices of email.
  follows: async (userId) => followsOf(userId),
  notifications: async (userId) =>
    db
      .select({
        text: schema.notifications.text,
        path: schema.notifications.path,
        kind: schema.notifications.kind,
        changes: schema.notifications.changes,
        createdAt: schema.notifications.createdAt,
        updatedAt: schema.notifications.updatedAt,
        readAt: schema.notifications.readAt,
        mailedAt: schema.notifications.mailedAt,
      })
      .from(schema.notifications)
      .where(eq(schema.notifications.userId, userId)),
  emailChoices: async (userId) => ({ perKind: await preferencesOf(userId), summaries: await digestTimeOf(userId) }),
  summariesSent: async (userId) =>
    db
      .select({ cadence: schema.digestsSent.cadence, period: schema.digestsSent.periodKey, items: schema.digestsSent.items, sentAt: schema.digestsSent.sentAt })
      .from(schema.digestsSent)
      .where(eq(schema.digestsSent.userId, userId)),
  // Entries they proposed to the data catalogue (they stay the catalogue's when the account
  // goes: the proposer and every change they made lose their name, ON DELETE SET NULL).
  dataSourcesProposed: async (userId) => sourcesProposedBy(userId),
  // Their notes of context, the gaps they raised and the endorsements they made (these stay
  // the register's when the account goes, without their name), what they offer as a
  // researcher and their offers of help (these go with the account).
  dataSourceNotes: async (userId) => notesWrittenBy(userId),
  dataSourceSuggestions: async (userId) => suggestionsBy(userId),
  dataGaps: async (userId) => gapContributionsOf(userId),
  researchSkills: async (userId) => researcherProfileOf(userId),
  offersOfHelp: async (userId) => helpOffersOf(userId),
  // How they chose to be paid for taking part in events (removed with the account).
  paymentChoices: async (userId) => paymentChoicesOf(userId),
  // Their claims for payment: amounts, steps, receipts by name, bank details by their last
  // two digits, and the log of who saw them (receipts themselves are on each claim's page).
  paymentClaims: async (userId) => paymentClaimsOf(userId),
  // Feedback they put their name to (anonymous answers hold nothing that says they are theirs).
  namedFeedback: async (userId) =>
    db
      .select({
        event: schema.events.title,
        useful: schema.eventFeedback.useful,
        accessible: schema.eventFeedback.accessible,
        gotInTheWay: schema.eventFeedback.gotInTheWay,
        harm: schema.eventFeedback.harm,
        anythingElse: schema.eventFeedback.anythingElse,
        answeredOn: schema.eventFeedback.answeredOn,
      })
      .from(schema.eventFeedback)
      .innerJoin(schema.events, eq(schema.events.id, schema.eventFeedback.eventId))
      .where(eq(schema.eventFeedback.userId, userId)),
  emailsSentToYou: async (userId) => {
    const [u] = await db.select({ email: schema.users.email }).from(schema.users).where(eq(schema.users.id, userId));
    if (!u) return [];
    return db
      .select({
        subject: schema.emailOutbox.subject,
        status: schema.emailOutbox.status,
        createdAt: schema.emailOutbox.createdAt,
        sentAt: schema.emailOutbox.sentAt,
      })
      .from(schema.emailOutbox)
      .where(eq(schema.emailOutbox.toAddress, u.email));
  },
};

const deletionSteps: DeletionStep[] = [
  // Mail addressed to them, sent or not: their address must not outlive the account.
  async (tx, user) => {
    await tx.delete(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, user.email));
  },
  // Tasks they lead go back to open (collaborators kept); their history entries stay,
  // anonymised by ON DELETE SET NULL ("a former member").
  async (tx, user) => {
    await releaseTasksOfDeletedPerson(tx, user.id);
  },
  // Their places at events are given up, promoting people from the waitlists.
  async (tx, user) => {
    await cancelRegistrationsOfDeletedPerson(tx, user.id, env().APP_URL ?? `http://${env().HOST}:${env().PORT}`);
  },
  // Invitations addressed to them hold their email address.
  async (tx, user) => {
    await tx.delete(schema.communityInvitations).where(eq(schema.communityInvitations.email, user.email));
  },
  // Their name goes from what others keep: task history summaries and details ("Aisha
  // Rahman proposed the task", "previous lead: …") and mail written to other people
  // (a facilitator told "Aisha Rahman asked to join") read "a former member" instead.
  async (tx, user) => {
    const name = user.name.trim();
    if (name.length < 2) return;
    const like = containing(name);
    await tx.execute(sql`
      update task_history set
        summary = replace(summary, ${name}, ${FORMER_MEMBER}),
        detail = replace(detail::text, ${JSON.stringify(name).slice(1, -1)}, ${FORMER_MEMBER})::jsonb
      where summary like ${like} or detail::text like ${like}`);
    await tx.execute(sql`
      update email_outbox set
        subject = replace(subject, ${name}, ${FORMER_MEMBER}),
        text = replace(text, ${name}, ${FORMER_MEMBER}),
        html = replace(html, ${name}, ${FORMER_MEMBER})
      where subject like ${like} or text like ${like} or html like ${like}`);
    // Calendar invitations sent to others name an event's organiser in ORGANIZER's CN,
    // escaped as a parameter value and perhaps folded across lines: unfold, then replace.
    const unfold = "\\r\\n "; // CRLF and a space, as jsonb writes them in its text
    const inCn = JSON.stringify(paramValue(name).replace(/^"|"$/g, "")).slice(1, -1);
    const likeCn = containing(inCn);
    await tx.execute(sql`
      update email_outbox set attachments = replace(replace(attachments::text, ${unfold}, ''), ${inCn}, ${FORMER_MEMBER})::jsonb
      where replace(attachments::text, ${unfold}, '') like ${likeCn}`);
  },
  // The catalogue keeps each entry's history, but not who they were: snapshots naming them
  // as proposer or publisher lose the id. Offers of help they made go (ON DELETE CASCADE),
  // and so does the news of them waiting for a task's lead. Gaps they raised, endorsements
  // they made for their organisation and their notes of context stay, without them (SET NULL).
  async (tx, user) => {
    await tx.execute(sql`
      update data_source_changes set snapshot = snapshot
        || case when snapshot->>'proposedBy' = ${user.id} then '{"proposedBy": null}'::jsonb else '{}'::jsonb end
        || case when snapshot->>'publishedBy' = ${user.id} then '{"publishedBy": null}'::jsonb else '{}'::jsonb end
      where snapshot->>'proposedBy' = ${user.id} or snapshot->>'publishedBy' = ${user.id}`);
    await tx.execute(sql`delete from notifications where subject_key in (select 'help-offer:' || id from help_offers where user_id = ${user.id})`);
  },
  // Claims not yet paid are withdrawn and every bank detail deleted; paid claims stay as the
  // financial record (payee, amounts, dates, receipts: six years) without the link to them.
  async (tx, user) => {
    await beforeAccountDeletion(tx, user.id);
  },
  // Feedback they put their name to goes; anonymous answers stay (nothing in them is theirs).
  async (tx, user) => {
    await tx.delete(schema.eventFeedback).where(eq(schema.eventFeedback.userId, user.id));
  },
  // Requests they made that wait in other people's notifications go; other people's
  // notifications that name them ("… claimed it") read "a former member" instead. Their own
  // follows, notifications and choices go with their row (ON DELETE CASCADE).
  async (tx, user) => {
    await tx.execute(sql`delete from notifications where subject_key like ${`%-request:%:${user.id}`}`);
    const name = user.name.trim();
    if (name.length < 2) return;
    const like = containing(name);
    await tx.execute(sql`update notifications set text = replace(text, ${name}, ${FORMER_MEMBER}) where text like ${like}`);
  },
  // Their thread messages stay, signed "a former member" (author_id SET NULL), as do their
  // reports, without their name.
  // Sessions, roles, tokens (calendar feed included), organisation and community memberships (so they leave their
  // communities) and personal signatures go with the row (ON DELETE CASCADE); signatures
  // made for an organisation stay the organisation's, without their name (SET NULL).
  async (tx, user) => {
    await tx.delete(schema.users).where(eq(schema.users.id, user.id));
  },
];

export async function exportUserData(userId: string) {
  const data: Record<string, unknown> = { exportedAt: new Date().toISOString(), format: "convene-export-v1" };
  for (const [name, section] of Object.entries(exportSections)) data[name] = await section(userId);
  return data;
}

/**
 * Erases a person exactly as deleting their account does, without asking for their
 * password: for the test fixtures that remove the people a test made
 * (app/utils/test-fixtures.server.ts). Nothing else calls it.
 */
export async function erasePerson(userId: string): Promise<boolean> {
  const [user] = await db.select().from(schema.users).where(eq(schema.users.id, userId));
  if (!user) return false;
  await db.transaction(async (tx) => {
    for (const step of deletionSteps) await step(tx, user);
  });
  publish("user.deleted", { userId: user.id });
  return true;
}

export async function deleteAccount(input: { userId: string; password: string }): Promise<Done | Failure> {
  const [user] = await db.select().from(schema.users).where(eq(schema.users.id, input.userId));
  if (!user) return { ok: false, status: 404, message: "Account not found" };
  const paused = await checkLimit("password_check", user.id);
  if (!paused.ok)
    return { ok: false, status: 429, message: FIELDS_MESSAGE, fieldErrors: { password: paused.message }, retryAfterSeconds: paused.retryAfterSeconds };
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await consumeLimit("password_check", user.id);
    return { ok: false, status: 400, message: FIELDS_MESSAGE, fieldErrors: { password: "That is not your password" } };
  }
  // Deletion touches rows others may hold locked (a task being claimed, an event being
  // registered for): waiting longer than LOCK_TIMEOUT_MS is "busy, try again", nothing deleted.
  const sessionIds = await transact(async (tx) => {
    const sessions = await tx.select({ id: schema.sessions.id }).from(schema.sessions).where(eq(schema.sessions.userId, user.id));
    for (const step of deletionSteps) await step(tx, user);
    return sessions.map((s) => s.id);
  });
  if (!Array.isArray(sessionIds)) return sessionIds;
  if (sessionIds.length) publish("session.ended", { userId: user.id, sessionIds });
  publish("user.deleted", { userId: user.id });
  return done("Your account and your data have been deleted.");
}
