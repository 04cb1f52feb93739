import { and, eq, sql } from "drizzle-orm";
import type { Event } from "../../db/schema";
import { hasRole, rolesOf } from "../auth/permissions.server";
import { layout } from "../email/templates/layout";
import { looksLikeToken, newId, sha256hex } from "../utils/crypto.server";
import { db, schema } from "../utils/db.server";
import { inTransaction } from "../utils/locks.server";
import { done, type Outcome, refuse } from "../utils/outcome";
import { askOnce } from "./emailed-questions.server";
import { canManageEvent } from "./events.server";
import { ACCESSIBLE_ANSWERS, type AccessibleAnswer } from "./feedback-answers";
import { isSteward } from "./hubs.server";
import { notify } from "./notifications.server";

// Feedback after an event. A day after it ends, each attendee (those marked present, or
// everyone confirmed when attendance was not marked) gets one mail whose link opens a short
// form, without logging in, once. They choose to put their name to it or not; an anonymous
// answer holds no person id and only the day it came. A report of harm reaches the event's
// organisers and Convene's admins at once (an organiser may be its cause).

const HOUR = 3_600_000;

export const feedbackRequestMessage = (p: { name: string; title: string; url: string }) =>
  layout({
    subject: `How was ${p.title}?`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `Thank you for coming to ${p.title}. Five short questions help the organisers do better next time: whether it was useful, whether the access arrangements worked, and whether anything got in the way or caused harm or upset.`,
      "It takes two minutes, you do not need to log in, and you can answer without your name.",
    ],
    action: { label: "Answer five questions", url: p.url },
  });

/** Asks the attendees of events that ended a day ago; returns how many were asked. Once per person and event. */
export async function sendFeedbackRequests(now: Date, appUrl: string): Promise<number> {
  const { rows: due } = await db.execute<{ event_id: string; title: string; user_id: string; name: string; email: string }>(sql`
    select e.id as event_id, e.title, r.user_id, u.name, u.email
      from events e
      join event_registrations r on r.event_id = e.id and r.status = 'confirmed'
      join users u on u.id = r.user_id
     where e.state = 'published'
       and e.ends_at <= ${new Date(now.getTime() - 20 * HOUR)} and e.ends_at > ${new Date(now.getTime() - 72 * HOUR)}
       and (r.attended is true
            or not exists (select 1 from event_registrations m where m.event_id = e.id and m.attended is not null))
       and not exists (select 1 from feedback_requests f where f.event_id = e.id and f.user_id = r.user_id)`);
  return askOnce(schema.feedbackRequests, due, async (_tx, d, token) =>
    feedbackRequestMessage({ name: d.name, title: d.title, url: `${appUrl}/feedback/${token}` }),
  );
}

/** What a feedback link is for: null when unknown. Changes nothing. */
export async function peekFeedback(token: unknown) {
  if (!looksLikeToken(token)) return null;
  const [row] = await db
    .select({ title: schema.events.title, slug: schema.events.slug, answered: schema.feedbackRequests.answered })
    .from(schema.feedbackRequests)
    .innerJoin(schema.events, eq(schema.events.id, schema.feedbackRequests.eventId))
    .where(eq(schema.feedbackRequests.tokenHash, sha256hex(token)));
  return row ?? null;
}

export type FeedbackAnswers = {
  useful: number;
  accessible: AccessibleAnswer;
  gotInTheWay: string;
  harm: string;
  anythingElse: string;
  named: boolean;
};

/** Records an answer, once per link; a report of harm notifies the organisers and admins in the same transaction. */
export async function giveFeedback(token: unknown, answers: FeedbackAnswers): Promise<Outcome> {
  if (!looksLikeToken(token)) return refuse(404, "This link does not work.");
  return inTransaction(async (tx): Promise<Outcome> => {
    const [request] = await tx
      .update(schema.feedbackRequests)
      .set({ answered: true })
      .where(and(eq(schema.feedbackRequests.tokenHash, sha256hex(token)), eq(schema.feedbackRequests.answered, false)))
      .returning();
    if (!request) {
      const [known] = await tx
        .select()
        .from(schema.feedbackRequests)
        .where(eq(schema.feedbackRequests.tokenHash, sha256hex(token)));
      return known ? refuse(409, "You have already answered: thank you.") : refuse(404, "This link does not work.");
    }
    const id = newId();
    await tx.insert(schema.eventFeedback).values({
      id,
      eventId: request.eventId,
      userId: answers.named ? request.userId : null,
      useful: answers.useful,
      accessible: answers.accessible,
      gotInTheWay: answers.gotInTheWay,
      harm: answers.harm,
      anythingElse: answers.anythingElse,
      answeredOn: new Date().toISOString().slice(0, 10),
    });
    if (answers.harm.trim()) {
      const [event] = await tx.select().from(schema.events).where(eq(schema.events.id, request.eventId));
      await notify(
        tx,
        sql`select user_id from event_organisers where event_id = ${event.id} union select user_id from user_roles where role = 'admin'`,
        {
          kind: "harm_reports",
          subjectKey: `harm:${id}`,
          spaceKind: "event",
          spaceTitle: event.title,
          text: `Someone reported harm or upset after “${event.title}”: please read it`,
          path: `/events/${event.slug}/feedback`,
        },
        answers.named ? request.userId : null,
      );
    }
    return done("Thank you: your answers have gone to the organisers.");
  });
}

/**
 * What a person may see of an event's feedback: its organisers and Convene's admins the
 * summary and every answer (anonymous ones without a name); the facilitators of its
 * community and the stewards of its hub the summary. Null: nothing.
 */
export async function feedbackFor(event: Event, userId: string | null | undefined) {
  if (!userId) return null;
  const admin = hasRole({ roles: await rolesOf(userId) }, "admin");
  const [organiser] = await db
    .select()
    .from(schema.eventOrganisers)
    .where(and(eq(schema.eventOrganisers.eventId, event.id), eq(schema.eventOrganisers.userId, userId)));
  const answersToo = admin || !!organiser;
  const summaryOnly = !answersToo && ((event.hubId ? await isSteward(event.hubId, userId) : false) || (await canManageEvent(event, userId)));
  if (!answersToo && !summaryOnly) return null;
  const rows = await db
    .select({ f: schema.eventFeedback, name: schema.users.name })
    .from(schema.eventFeedback)
    .leftJoin(schema.users, eq(schema.users.id, schema.eventFeedback.userId))
    .where(eq(schema.eventFeedback.eventId, event.id))
    .orderBy(schema.eventFeedback.answeredOn);
  const [asked] = await db.select({ n: sql<number>`count(*)::int` }).from(schema.feedbackRequests).where(eq(schema.feedbackRequests.eventId, event.id));
  const useful = [1, 2, 3, 4, 5].map((score) => rows.filter((r) => r.f.useful === score).length);
  const summary = {
    asked: asked?.n ?? 0,
    answered: rows.length,
    usefulAverage: rows.length ? Math.round((rows.reduce((s, r) => s + r.f.useful, 0) / rows.length) * 10) / 10 : null,
    useful,
    accessible: Object.fromEntries(ACCESSIBLE_ANSWERS.map((a) => [a, rows.filter((r) => r.f.accessible === a).length])) as Record<
      (typeof ACCESSIBLE_ANSWERS)[number],
      number
    >,
    harmReports: rows.filter((r) => r.f.harm.trim()).length,
  };
  const answers = answersToo
    ? rows.map((r) => ({
        id: r.f.id,
        name: r.f.userId ? (r.name ?? "a former member") : null,
        useful: r.f.useful,
        accessible: r.f.accessible,
        gotInTheWay: r.f.gotInTheWay,
        harm: r.f.harm,
        anythingElse: r.f.anythingElse,
        on: r.f.answeredOn,
      }))
    : null;
  return { summary, answers };
}
