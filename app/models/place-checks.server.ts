import { and, eq, isNull, sql } from "drizzle-orm";
import { describeWhen, stillComingMessage } from "../email/templates/events";
import { looksLikeToken, sha256hex } from "../utils/crypto.server";
import { db, schema } from "../utils/db.server";
import { done, type Outcome, refuse } from "../utils/outcome";
import { askOnce } from "./emailed-questions.server";
import { cancelRegistration, eventInfo } from "./registrations.server";

// "Still coming?" A day before an event that is full with people waiting, each confirmed
// person gets one mail with two links: keep my place, or let it go. Each link opens a page
// that changes nothing (mail scanners follow links) with one button; the button answers,
// without logging in, once. Letting a place go cancels it and promotes the head of the
// waitlist in the same transaction (cancelRegistration), and records the answer there too.

const HOUR = 3_600_000;
/** Asked once the event is this close, and not after it is closer than the lower bound. */
const WINDOW = { from: 2 * HOUR, to: 26 * HOUR };

/** Sends the questions due now; returns how many. Once per person and event (the primary key). */
export async function sendPlaceChecks(now: Date, appUrl: string): Promise<number> {
  const { rows: due } = await db.execute<{ event_id: string; user_id: string; name: string; email: string; waiting: number }>(sql`
    select e.id as event_id, r.user_id, u.name, u.email, w.waiting
      from events e
      join lateral (select count(*)::int as confirmed from event_registrations where event_id = e.id and status = 'confirmed') c on true
      join lateral (select count(*)::int as waiting from event_registrations where event_id = e.id and status = 'waitlisted') w on true
      join event_registrations r on r.event_id = e.id and r.status = 'confirmed'
      join users u on u.id = r.user_id
     where e.state = 'published' and e.capacity is not null
       and e.starts_at > ${new Date(now.getTime() + WINDOW.from)} and e.starts_at <= ${new Date(now.getTime() + WINDOW.to)}
       and c.confirmed >= e.capacity and w.waiting > 0
       and not exists (select 1 from place_checks pc where pc.event_id = e.id and pc.user_id = r.user_id)`);
  return askOnce(schema.placeChecks, due, async (tx, d, token) => {
    const [event] = await tx.select().from(schema.events).where(eq(schema.events.id, d.event_id));
    const link = `${appUrl}/still-coming/${token}`;
    return stillComingMessage({
      name: d.name,
      event: eventInfo(event, appUrl),
      waiting: d.waiting,
      keepUrl: `${link}?answer=keep`,
      releaseUrl: `${link}?answer=release`,
    });
  });
}

/** What a link is about, for its page: null when the token is unknown. Changes nothing. */
export async function peekPlaceCheck(token: unknown) {
  if (!looksLikeToken(token)) return null;
  const [row] = await db
    .select({ check: schema.placeChecks, event: schema.events, status: schema.eventRegistrations.status })
    .from(schema.placeChecks)
    .innerJoin(schema.events, eq(schema.events.id, schema.placeChecks.eventId))
    .leftJoin(
      schema.eventRegistrations,
      and(eq(schema.eventRegistrations.eventId, schema.placeChecks.eventId), eq(schema.eventRegistrations.userId, schema.placeChecks.userId)),
    )
    .where(eq(schema.placeChecks.tokenHash, sha256hex(token)));
  if (!row) return null;
  return {
    title: row.event.title,
    slug: row.event.slug,
    when: describeWhen(row.event),
    answer: row.check.answer,
    holdsPlace: row.status === "confirmed",
    over: row.event.startsAt <= new Date() || row.event.state !== "published",
  };
}

export type PlaceAnswer = "keep" | "release";

/** Answers a "still coming?" link, once. */
export async function answerPlaceCheck(token: unknown, answer: PlaceAnswer, appUrl: string): Promise<Outcome> {
  if (!looksLikeToken(token)) return refuse(404, "This link does not work.");
  const hash = sha256hex(token);
  const [check] = await db.select().from(schema.placeChecks).where(eq(schema.placeChecks.tokenHash, hash));
  if (!check) return refuse(404, "This link does not work.");
  const already = "You have already answered: nothing has changed.";
  if (answer === "keep") {
    const kept = await db
      .update(schema.placeChecks)
      .set({ answer: "kept", answeredAt: new Date() })
      .where(and(eq(schema.placeChecks.tokenHash, hash), isNull(schema.placeChecks.answer)))
      .returning();
    return kept.length ? done("Thank you: your place is kept. See you there.") : refuse(409, already);
  }
  // Released: the answer is recorded, the place cancelled and the waitlist's head promoted,
  // all in one transaction under the event's lock; a second press finds the answer taken.
  const result = await cancelRegistration({ id: check.userId }, check.eventId, appUrl, {
    first: async (tx) => {
      const taken = await tx
        .update(schema.placeChecks)
        .set({ answer: "released", answeredAt: new Date() })
        .where(and(eq(schema.placeChecks.tokenHash, hash), isNull(schema.placeChecks.answer)))
        .returning();
      return taken.length ? null : refuse(409, already);
    },
  });
  if (!result.ok) return result;
  return done(
    result.changed ? "Thank you for letting us know: your place has gone to the next person waiting." : "You no longer held a place, so nothing has changed.",
  );
}

/** For the organisers: how many were asked, kept, let go, and have not answered. */
export async function placeCheckSummary(eventId: string) {
  const { rows } = await db.execute<{ asked: number; kept: number; released: number }>(sql`
    select count(*)::int as asked, count(*) filter (where answer = 'kept')::int as kept, count(*) filter (where answer = 'released')::int as released
      from place_checks where event_id = ${eventId}`);
  const r = rows[0] ?? { asked: 0, kept: 0, released: 0 };
  return { ...r, unanswered: r.asked - r.kept - r.released };
}
