import { and, isNotNull, lt, or, sql } from "drizzle-orm";
import { deleteExpiredSessions } from "../auth/session.server";
import { sendFeedbackRequests } from "../models/feedback.server";
import { appUrlForMail } from "../models/notifications.server";
import { applyPaymentRetention } from "../models/payment-claims.server";
import { sendPlaceChecks } from "../models/place-checks.server";
import { db, schema } from "../utils/db.server";
import { pruneRateLimits } from "../utils/rate-limit.server";
import { pruneDigestsSent, sendDigests } from "./digests.server";
import { purgeOldAccessNeeds, sendEventReminders } from "./events.server";
import { type Job, pruneJobRuns } from "./scheduler.server";

/**
 * Read notifications are kept 90 days, unread ones a year; summaries' records five weeks;
 * "still coming?" answers 30 days after their event; feedback requests 90 days after it;
 * feedback itself two years (README, "Retention").
 */
async function pruneNotifications(now: Date) {
  const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * HOUR);
  await db.execute(sql`delete from place_checks pc using events e where e.id = pc.event_id and e.ends_at < ${daysAgo(30)}`);
  await db.execute(sql`delete from feedback_requests f using events e where e.id = f.event_id and e.ends_at < ${daysAgo(90)}`);
  await db.delete(schema.eventFeedback).where(lt(schema.eventFeedback.answeredOn, daysAgo(730).toISOString().slice(0, 10)));
  await db
    .delete(schema.notifications)
    .where(
      or(
        and(isNotNull(schema.notifications.readAt), lt(schema.notifications.readAt, new Date(now.getTime() - 90 * 24 * HOUR))),
        lt(schema.notifications.updatedAt, new Date(now.getTime() - 365 * 24 * HOUR)),
      ),
    );
  await pruneDigestsSent(now);
}

const HOUR = 3_600_000;

// Later issues add their jobs here (reminders, access-needs deletion …).
export const jobs: Job[] = [
  { name: "sessions.delete_expired", everyMs: HOUR, run: () => deleteExpiredSessions() },
  {
    name: "auth_tokens.delete_stale",
    everyMs: HOUR,
    run: async (now) => {
      const dayAgo = new Date(now.getTime() - 24 * HOUR);
      await db
        .delete(schema.authTokens)
        .where(or(lt(schema.authTokens.expiresAt, now), and(isNotNull(schema.authTokens.usedAt), lt(schema.authTokens.usedAt, dayAgo))));
    },
  },
  {
    name: "email_outbox.prune_sent",
    everyMs: 24 * HOUR,
    // Delivered mail is kept 30 days for the dev mailbox and support questions.
    run: async (now) => {
      await db
        .delete(schema.emailOutbox)
        .where(and(isNotNull(schema.emailOutbox.sentAt), lt(schema.emailOutbox.sentAt, new Date(now.getTime() - 30 * 24 * HOUR))));
    },
  },
  { name: "job_runs.prune", everyMs: 24 * HOUR, run: pruneJobRuns },
  { name: "rate_limits.prune", everyMs: HOUR, run: () => pruneRateLimits() },
  { name: "events.reminders", everyMs: 5 * 60_000, run: async (now) => void (await sendEventReminders(now)) },
  { name: "events.purge_access_needs", everyMs: 24 * HOUR, run: async (now) => void (await purgeOldAccessNeeds(now)) },
  // "Still coming?" a day before full events with people waiting (app/models/place-checks.server.ts).
  { name: "events.still_coming", everyMs: 15 * 60_000, run: async (now) => void (await sendPlaceChecks(now, appUrlForMail())) },
  // Feedback a day after events end (app/models/feedback.server.ts).
  { name: "events.feedback_requests", everyMs: 15 * 60_000, run: async (now) => void (await sendFeedbackRequests(now, appUrlForMail())) },
  // Summaries go out within 15 minutes of each person's chosen hour (app/jobs/digests.server.ts).
  { name: "notifications.digests", everyMs: 15 * 60_000, run: async (now) => void (await sendDigests(now)) },
  { name: "notifications.prune", everyMs: 24 * HOUR, run: pruneNotifications },
  // Bank details 30 days after payment; claims' records after six years (app/models/payment-claims.server.ts).
  { name: "payments.retention", everyMs: 24 * HOUR, run: async (now) => void (await applyPaymentRetention(now)) },
];
