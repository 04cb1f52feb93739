import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { db, schema, type DbOrTx, type Transaction } from "../utils/db.server";
import { newId } from "../utils/crypto.server";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { serially } from "../utils/queue.server";
import { promotedMessage, registrationConfirmedMessage, waitlistedMessage } from "../email/templates/events";
import { eventsToIcs } from "../calendar/ics.server";
import { ACCESS_PROVISIONS, type Event } from "../../db/schema";

// Registration: one per person per event; confirmed while seats remain, otherwise
// waitlisted in order of arrival; a freed seat goes to the head of the waitlist in the
// same transaction. Every function locks the event row first (SELECT … FOR UPDATE), so
// registrations for one event happen one at a time and the capacity cannot be exceeded.

export type RegistrationResult =
  | { ok: true; status: "confirmed" | "waitlisted" | "cancelled"; message: string; changed: boolean }
  | { ok: false; status: 400 | 403 | 404 | 409; message: string };

export const eventUrl = (appUrl: string, e: Pick<Event, "slug">) => `${appUrl}/events/${e.slug}`;
const info = (e: Event, appUrl: string) => ({ title: e.title, startsAt: e.startsAt, endsAt: e.endsAt, timeZone: e.timeZone, venue: e.venue, joinUrl: e.joinUrl, url: eventUrl(appUrl, e) });

async function lockEvent(tx: Transaction, eventId: string, lock = true): Promise<Event | null> {
  const q = tx.select().from(schema.events).where(eq(schema.events.id, eventId));
  const rows = lock ? await q.for("update") : await q;
  return rows[0] ?? null;
}

export async function confirmedCount(tx: DbOrTx, eventId: string) {
  const [{ n }] = await tx
    .select({ n: count() })
    .from(schema.eventRegistrations)
    .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.status, "confirmed")));
  return n;
}

async function person(tx: DbOrTx, userId: string) {
  const [u] = await tx.select({ name: schema.users.name, email: schema.users.email }).from(schema.users).where(eq(schema.users.id, userId));
  return u;
}

/** Why registering is refused right now, or null when it is open. */
export function registrationClosedReason(e: Event, now = new Date()): string | null {
  if (e.state === "draft") return "This event is not published yet.";
  if (e.state === "cancelled") return "This event has been cancelled.";
  if (e.startsAt <= now) return "This event has already started, so registration is closed.";
  if (e.registrationOpensAt && e.registrationOpensAt > now) return "Registration has not opened yet.";
  if (e.registrationClosesAt && e.registrationClosesAt <= now) return "Registration has closed.";
  return null;
}

const cleanNeeds = (needs: string[]) => needs.filter((n) => (ACCESS_PROVISIONS as readonly string[]).includes(n));

/**
 * Registers a person. Registering twice changes nothing and says so; someone who
 * cancelled joins again at the back of the queue. `unsafeNoLock` is a test-only switch
 * that skips the event lock, to show the overbooking it prevents.
 */
export async function registerForEvent(
  actor: { id: string; name?: string; email?: string },
  eventId: string,
  opts: {
    accessNeeds?: string[];
    accessNotes?: string | null;
    appUrl: string;
    /** The event row as the caller already read it (details for the emails). */
    preview?: Event;
    unsafeNoLock?: boolean;
    /** Tests switch the in-process queue off to show that the database lock alone holds. */
    processQueue?: boolean;
  },
): Promise<RegistrationResult> {
  // Work that needs no lock happens before the transaction, so the time each
  // registration holds the event row (and so the queue behind it) stays short.
  const preview = opts.preview?.id === eventId ? opts.preview : (await db.select().from(schema.events).where(eq(schema.events.id, eventId)))[0];
  if (!preview) return { ok: false, status: 404, message: "We could not find that event." };
  const who = actor.name && actor.email ? { name: actor.name, email: actor.email } : await person(db, actor.id);
  const needs = cleanNeeds(opts.accessNeeds ?? []);
  const notes = opts.accessNotes?.trim().slice(0, 2000) || null;
  const confirmation = registrationConfirmedMessage({ name: who.name, event: info(preview, opts.appUrl) });
  const ics = eventsToIcs([preview], { appUrl: opts.appUrl, name: preview.title, includeJoinUrl: true, method: "REQUEST" });

  const queued = opts.processQueue !== false && !opts.unsafeNoLock;
  const register = () => db.transaction(async (tx): Promise<RegistrationResult & { mailed?: boolean }> => {
    const event = await lockEvent(tx, eventId, !opts.unsafeNoLock);
    if (!event) return { ok: false, status: 404, message: "We could not find that event." };
    const closed = registrationClosedReason(event);
    const [existing] = await tx
      .select()
      .from(schema.eventRegistrations)
      .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.userId, actor.id)));
    if (existing && existing.status !== "cancelled") {
      return {
        ok: true,
        status: existing.status,
        changed: false,
        message: existing.status === "confirmed" ? "You are already registered: your place is confirmed." : "You are already on the waitlist.",
      };
    }
    if (closed) return { ok: false, status: 409, message: closed };
    const taken = await confirmedCount(tx, eventId);
    const status = event.capacity === null || taken < event.capacity ? ("confirmed" as const) : ("waitlisted" as const);
    let queuePosition: number;
    if (existing) {
      const [row] = await tx
        .update(schema.eventRegistrations)
        .set({
          status,
          accessNeeds: needs,
          accessNotes: notes,
          queuePosition: sql`nextval(pg_get_serial_sequence('event_registrations', 'queue_position'))`,
          updatedAt: new Date(),
        })
        .where(eq(schema.eventRegistrations.id, existing.id))
        .returning({ queuePosition: schema.eventRegistrations.queuePosition });
      queuePosition = row.queuePosition;
    } else {
      const [row] = await tx
        .insert(schema.eventRegistrations)
        .values({ id: newId(), eventId, userId: actor.id, status, accessNeeds: needs, accessNotes: notes })
        .returning({ queuePosition: schema.eventRegistrations.queuePosition });
      queuePosition = row.queuePosition;
    }
    if (status === "confirmed") {
      // The details were read before the lock; if they changed meanwhile, the change email follows.
      await enqueueEmail(tx, who.email, confirmation, [{ filename: "event.ics", contentType: "text/calendar; method=REQUEST", content: ics }]);
      return { ok: true, status, changed: true, mailed: true, message: "You are registered: your place is confirmed. We have emailed you the details." };
    }
    const [{ ahead }] = await tx
      .select({ ahead: count() })
      .from(schema.eventRegistrations)
      .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.status, "waitlisted"), sql`${schema.eventRegistrations.queuePosition} < ${queuePosition}`));
    await enqueueEmail(tx, who.email, waitlistedMessage({ name: who.name, event: info(event, opts.appUrl), position: ahead + 1 }));
    return { ok: true, status, changed: true, mailed: true, message: `The event is full, so you are on the waitlist (number ${ahead + 1}). If a place frees up it is yours automatically, and we will email you.` };
  });
  const result = queued ? await serially(`event:${eventId}`, register) : await register();
  if (result.ok && result.mailed) notifyOutbox();
  if (!result.ok) return result;
  const { mailed: _m, ...r } = result;
  return r;
}

/** Gives freed seats to the head of the waitlist, in arrival order. Call with the event locked. */
export async function promoteFromWaitlist(tx: Transaction, event: Event, appUrl: string): Promise<number> {
  if (event.capacity !== null) {
    const free = event.capacity - (await confirmedCount(tx, event.id));
    if (free <= 0) return 0;
    return promote(tx, event, free, appUrl);
  }
  return promote(tx, event, 1_000_000, appUrl);
}

async function promote(tx: Transaction, event: Event, n: number, appUrl: string) {
  const heads = await tx
    .select({ id: schema.eventRegistrations.id, userId: schema.eventRegistrations.userId })
    .from(schema.eventRegistrations)
    .where(and(eq(schema.eventRegistrations.eventId, event.id), eq(schema.eventRegistrations.status, "waitlisted")))
    .orderBy(asc(schema.eventRegistrations.queuePosition))
    .limit(n);
  if (!heads.length) return 0;
  await tx
    .update(schema.eventRegistrations)
    .set({ status: "confirmed", updatedAt: new Date() })
    .where(inArray(schema.eventRegistrations.id, heads.map((h) => h.id)));
  for (const h of heads) {
    const who = await person(tx, h.userId);
    await enqueueEmail(tx, who.email, promotedMessage({ name: who.name, event: info(event, appUrl) }), [
      { filename: "event.ics", contentType: "text/calendar; method=REQUEST", content: eventsToIcs([event], { appUrl, name: event.title, includeJoinUrl: true, method: "REQUEST" }) },
    ]);
  }
  return heads.length;
}

/** Cancels a person's place; a confirmed place goes to the head of the waitlist at once. */
export async function cancelRegistration(actor: { id: string }, eventId: string, appUrl: string, opts: { processQueue?: boolean } = {}): Promise<RegistrationResult> {
  const cancel = () => db.transaction(async (tx): Promise<RegistrationResult & { promoted?: number }> => {
    const event = await lockEvent(tx, eventId);
    if (!event) return { ok: false, status: 404, message: "We could not find that event." };
    const [reg] = await tx
      .select()
      .from(schema.eventRegistrations)
      .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.userId, actor.id)));
    if (!reg || reg.status === "cancelled") return { ok: true, status: "cancelled", changed: false, message: "You were not registered for this event." };
    await tx.update(schema.eventRegistrations).set({ status: "cancelled", updatedAt: new Date() }).where(eq(schema.eventRegistrations.id, reg.id));
    const promoted = reg.status === "confirmed" && event.state === "published" ? await promoteFromWaitlist(tx, event, appUrl) : 0;
    return {
      ok: true,
      status: "cancelled",
      changed: true,
      promoted,
      message: reg.status === "confirmed" ? "Your place is cancelled. Thank you for letting someone else have it." : "You have left the waitlist.",
    };
  });
  const result = opts.processQueue === false ? await cancel() : await serially(`event:${eventId}`, cancel);
  if (result.ok && result.promoted) notifyOutbox();
  if (!result.ok) return result;
  const { promoted: _p, ...r } = result;
  return r;
}

/** Account deletion: every registration is cancelled, promoting from waitlists. */
export async function cancelRegistrationsOfDeletedPerson(tx: Transaction, userId: string, appUrl: string) {
  const regs = await tx
    .select()
    .from(schema.eventRegistrations)
    .where(and(eq(schema.eventRegistrations.userId, userId), sql`${schema.eventRegistrations.status} <> 'cancelled'`));
  for (const reg of regs) {
    const event = await lockEvent(tx, reg.eventId);
    if (!event) continue;
    await tx.delete(schema.eventRegistrations).where(eq(schema.eventRegistrations.id, reg.id));
    if (reg.status === "confirmed" && event.state === "published" && event.startsAt > new Date()) await promoteFromWaitlist(tx, event, appUrl);
  }
}

export async function myRegistration(eventId: string, userId: string) {
  const [reg] = await db
    .select()
    .from(schema.eventRegistrations)
    .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.userId, userId)));
  return reg ?? null;
}

export async function registrationsOfPerson(userId: string) {
  return db
    .select({
      event: schema.events.title,
      slug: schema.events.slug,
      startsAt: schema.events.startsAt,
      status: schema.eventRegistrations.status,
      accessNeeds: schema.eventRegistrations.accessNeeds,
      accessNotes: schema.eventRegistrations.accessNotes,
      registeredAt: schema.eventRegistrations.createdAt,
      attended: schema.eventRegistrations.attended,
    })
    .from(schema.eventRegistrations)
    .innerJoin(schema.events, eq(schema.events.id, schema.eventRegistrations.eventId))
    .where(eq(schema.eventRegistrations.userId, userId))
    .orderBy(asc(schema.events.startsAt));
}

/**
 * Registers for every upcoming, open occurrence of a series, each in its own transaction
 * (each occurrence has its own capacity and waitlist). Returns one line per occurrence.
 */
export async function registerForSeries(
  actor: { id: string },
  eventId: string,
  opts: { accessNeeds?: string[]; accessNotes?: string | null; appUrl: string },
): Promise<{ ok: true; message: string } | { ok: false; status: 404 | 409; message: string }> {
  const [event] = await db.select().from(schema.events).where(eq(schema.events.id, eventId));
  if (!event) return { ok: false, status: 404, message: "We could not find that event." };
  if (!event.seriesId) return { ok: false, status: 409, message: "This event is not part of a series." };
  const occurrences = await db
    .select()
    .from(schema.events)
    .where(and(eq(schema.events.seriesId, event.seriesId), eq(schema.events.state, "published"), sql`${schema.events.startsAt} > now()`))
    .orderBy(asc(schema.events.startsAt));
  let confirmed = 0;
  let waitlisted = 0;
  let skipped = 0;
  for (const o of occurrences) {
    const r = await registerForEvent(actor, o.id, opts);
    if (!r.ok) skipped++;
    else if (r.status === "confirmed") confirmed++;
    else if (r.status === "waitlisted") waitlisted++;
  }
  const parts = [`${confirmed} confirmed`, ...(waitlisted ? [`${waitlisted} on the waitlist`] : []), ...(skipped ? [`${skipped} not open for registration`] : [])];
  return { ok: true, message: `You are registered for the series: ${parts.join(", ")}.` };
}

/** The upcoming published dates of an event's series (for its page). */
export async function seriesOccurrences(seriesId: string) {
  return db
    .select({ id: schema.events.id, slug: schema.events.slug, startsAt: schema.events.startsAt, endsAt: schema.events.endsAt, timeZone: schema.events.timeZone, state: schema.events.state })
    .from(schema.events)
    .where(and(eq(schema.events.seriesId, seriesId), sql`${schema.events.state} <> 'draft'`))
    .orderBy(asc(schema.events.startsAt));
}
