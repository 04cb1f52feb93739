import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { ACCESS_PROVISIONS, type Event } from "../../db/schema";
import { organiserNames } from "../calendar/feeds.server";
import { invitationAttachment, invitationFor, needsInvitation, nextSequence } from "../calendar/invitations.server";
import { enqueueEmail, enqueueEmails, notifyOutbox } from "../email/outbox.server";
import { placeCancelledMessage, promotedMessage, registrationConfirmedMessage, waitlistedMessage } from "../email/templates/events";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, schema, type Transaction } from "../utils/db.server";
import { isBusyError, lockRow, transact } from "../utils/locks.server";
import { busy, type Outcome } from "../utils/outcome";
import { inBatch, serially } from "../utils/queue.server";
import { sharedRead } from "../utils/request-memo.server";
import { guardOff, queueOff } from "../utils/test-controls.server";
import { mayViewEvent } from "./visibility.server";

// Registration: one per person per event; confirmed while seats remain, otherwise
// waitlisted in order of arrival; a freed seat goes to the head of the waitlist in the
// same transaction. Every function locks the event row first (SELECT … FOR UPDATE), so
// registrations for one event happen one at a time and the capacity cannot be exceeded.

export type RegistrationResult = Outcome<{ status: "confirmed" | "waitlisted" | "cancelled"; changed: boolean }>;

export const eventUrl = (appUrl: string, e: Pick<Event, "slug">) => `${appUrl}/events/${e.slug}`;
/** What an email about an event says of it: its facts and its page's address. */
export const eventInfo = (e: Event, appUrl: string) => ({
  title: e.title,
  startsAt: e.startsAt,
  endsAt: e.endsAt,
  timeZone: e.timeZone,
  venue: e.venue,
  joinUrl: e.joinUrl,
  url: eventUrl(appUrl, e),
});

/** An event by id, or by slug as a page's address names it. */
export type EventRef = string | { slug: string };

/** The event's row, locked until the transaction ends (guard "event-capacity"). */
async function lockEvent(tx: Transaction, eventId: string): Promise<Event | null> {
  return lockRow(tx.select().from(schema.events).where(eq(schema.events.id, eventId)), "event-capacity");
}

/** The event's id, for an event named by its page's address: one queue per event. */
async function eventIdOf(ref: EventRef): Promise<string | null> {
  if (typeof ref === "string") return ref;
  const [row] = await db.select({ id: schema.events.id }).from(schema.events).where(eq(schema.events.slug, ref.slug));
  return row?.id ?? null;
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

type Registered = RegistrationResult & { mailed?: boolean };

/** One person's request to register, as it waits in the event's queue. */
type Pending = {
  eventId: string;
  actor: { id: string };
  who: { name: string; email: string };
  needs: string[];
  notes: string | null;
  appUrl: string;
};

const ALREADY = {
  confirmed: "You are already registered: your place is confirmed.",
  waitlisted: "You are already on the waitlist.",
} as const;

/**
 * Registers a person. Registering twice changes nothing and says so; someone who
 * cancelled joins again at the back of the queue.
 *
 * Registrations for one event wait in this process's queue for that event and are
 * handled in batches of consecutive arrivals: one transaction, holding the event row
 * once, decides each of them in arrival order (see `registerMany`).
 */
export async function registerForEvent(
  actor: { id: string; name?: string; email?: string },
  event: EventRef,
  opts: {
    accessNeeds?: string[];
    accessNotes?: string | null;
    appUrl: string;
  },
): Promise<RegistrationResult> {
  // Registrations and cancellations for one event share one queue, whichever way the
  // event was named.
  const eventId = await eventIdOf(event);
  if (!eventId) return { ok: false, status: 404, message: "We could not find that event." };
  // Work that needs no lock happens before the transaction, so the time each
  // registration holds the event row (and so the queue behind it) stays short.
  const pending: Pending = {
    eventId,
    actor: { id: actor.id },
    who: actor.name && actor.email ? { name: actor.name, email: actor.email } : await person(db, actor.id),
    needs: cleanNeeds(opts.accessNeeds ?? []),
    notes: opts.accessNotes?.trim().slice(0, 2000) || null,
    appUrl: opts.appUrl,
  };
  // Tests switch the queue off (and the control run, the lock too) to show that the
  // database lock alone holds.
  const queued = !queueOff() && !guardOff("event-capacity");
  const result = queued ? await inBatch(`event:${eventId}`, registerQueued, pending) : (await registerMany([pending]))[0];
  if (result instanceof Error) {
    if (isBusyError(result)) return busy();
    throw result;
  }
  if (result.ok && result.mailed) notifyOutbox();
  if (!result.ok) return result;
  const { mailed: _m, ...r } = result;
  return r;
}

/**
 * The queue's batch function. If a batch fails as a whole, each of its registrations is
 * tried again on its own, so one person's failure is not everyone's.
 */
async function registerQueued(items: Pending[]): Promise<(Registered | Error)[]> {
  try {
    return await registerMany(items);
  } catch (err) {
    if (items.length === 1) return [err instanceof Error ? err : new Error(String(err))];
    const out: (Registered | Error)[] = [];
    for (const item of items)
      out.push(
        await registerMany([item]).then(
          (r) => r[0],
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        ),
      );
    return out;
  }
}

/**
 * Decides registrations for one event in arrival order, in one transaction that locks
 * the event row first: confirmed while seats remain, then waitlisted, each at the next
 * queue position; one email each, written to the outbox in the same transaction.
 */
async function registerMany(items: Pending[]): Promise<Registered[]> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, items[0].eventId);
    const notFound = { ok: false as const, status: 404 as const, message: "We could not find that event." };
    if (!event) return items.map(() => notFound);
    const eventId = event.id;
    // Who may see it is decided here, against the locked row (drafts and private
    // communities' events only; a published public event is open to everyone).
    const hidden = new Set<string>();
    if (event.state === "draft" || event.communityId) {
      for (const id of new Set(items.map((i) => i.actor.id))) if (!(await mayViewEvent(event, id, tx))) hidden.add(id);
    }
    const closed = registrationClosedReason(event);
    const userIds = [...new Set(items.map((i) => i.actor.id))];
    const earlier = new Map(
      (
        await tx
          .select()
          .from(schema.eventRegistrations)
          .where(and(eq(schema.eventRegistrations.eventId, eventId), inArray(schema.eventRegistrations.userId, userIds)))
      ).map((r) => [r.userId, r]),
    );
    const [counts] = closed
      ? [{ confirmed: 0, waitlisted: 0 }]
      : await tx
          .select({
            confirmed: sql<number>`count(*) filter (where ${schema.eventRegistrations.status} = 'confirmed')`.mapWith(Number),
            waitlisted: sql<number>`count(*) filter (where ${schema.eventRegistrations.status} = 'waitlisted')`.mapWith(Number),
          })
          .from(schema.eventRegistrations)
          .where(eq(schema.eventRegistrations.eventId, eventId));
    let taken = counts.confirmed;
    let waiting = counts.waitlisted;

    const results: Registered[] = [];
    const decided: { item: Pending; status: "confirmed" | "waitlisted"; number: number; index: number }[] = [];
    const now = new Map<string, "confirmed" | "waitlisted">();
    for (const item of items) {
      if (hidden.has(item.actor.id)) {
        results.push(notFound);
        continue;
      }
      const before = now.get(item.actor.id) ?? (earlier.get(item.actor.id)?.status === "cancelled" ? undefined : earlier.get(item.actor.id)?.status);
      if (before === "confirmed" || before === "waitlisted") {
        results.push({ ok: true, status: before, changed: false, message: ALREADY[before] });
      } else if (closed) {
        results.push({ ok: false, status: 409, message: closed });
      } else {
        const status = event.capacity === null || taken < event.capacity ? ("confirmed" as const) : ("waitlisted" as const);
        const number = status === "confirmed" ? ++taken : ++waiting;
        now.set(item.actor.id, status);
        decided.push({ item, status, number, index: results.length });
        results.push({ ok: false, status: 409, message: "" }); // filled in below
      }
    }
    if (!decided.length) return results;

    // Queue positions in arrival order: taken from the sequence under the lock, so later
    // batches (in any process) always queue behind this one.
    const positions = (
      await tx.execute<{ v: string }>(
        sql`select nextval(pg_get_serial_sequence('event_registrations', 'queue_position')) as v from generate_series(1, ${decided.length})`,
      )
    ).rows
      .map((r) => Number(r.v))
      .sort((a, b) => a - b);
    const positionOf = new Map(decided.map((d, i) => [d, positions[i]]));
    // A confirmed place holds an emailed invitation from now on, at its own SEQUENCE.
    const sequenceOf = (d: (typeof decided)[number]) => nextSequence(earlier.get(d.item.actor.id) ?? { invitationSequence: null }, event);
    const invited = (d: (typeof decided)[number]) => (d.status === "confirmed" ? { invitationSequence: sequenceOf(d), invitationHeld: true } : {});
    const fresh = decided.filter((d) => !earlier.has(d.item.actor.id));
    if (fresh.length) {
      await tx.insert(schema.eventRegistrations).values(
        fresh.map((d) => ({
          id: newId(),
          eventId,
          userId: d.item.actor.id,
          status: d.status,
          accessNeeds: d.item.needs,
          accessNotes: d.item.notes,
          queuePosition: positionOf.get(d)!,
          ...invited(d),
        })),
      );
    }
    for (const d of decided) {
      const row = earlier.get(d.item.actor.id);
      if (!row) continue;
      await tx
        .update(schema.eventRegistrations)
        .set({
          status: d.status,
          accessNeeds: d.item.needs,
          accessNotes: d.item.notes,
          queuePosition: positionOf.get(d)!,
          updatedAt: new Date(),
          ...invited(d),
        })
        .where(eq(schema.eventRegistrations.id, row.id));
    }

    // Registering for an event of a series follows the series (news of its other dates).
    if (event.seriesId) {
      await tx
        .insert(schema.follows)
        .values(decided.map((d) => ({ userId: d.item.actor.id, subjectKind: "series" as const, subjectId: event.seriesId! })))
        .onConflictDoNothing();
    }
    const organiser = decided.some((d) => d.status === "confirmed") ? ((await organiserNames([event], tx)).get(event.id) ?? null) : null;
    await enqueueEmails(
      tx,
      decided.map((d) =>
        d.status === "confirmed"
          ? {
              to: d.item.who.email,
              message: registrationConfirmedMessage({ name: d.item.who.name, event: eventInfo(event, d.item.appUrl) }),
              attachments: [invitationAttachment(event, "REQUEST", d.item.who, d.item.appUrl, sequenceOf(d), organiser)],
            }
          : { to: d.item.who.email, message: waitlistedMessage({ name: d.item.who.name, event: eventInfo(event, d.item.appUrl), position: d.number }) },
      ),
    );
    for (const { status, number, index } of decided) {
      results[index] =
        status === "confirmed"
          ? { ok: true, status, changed: true, mailed: true, message: "You are registered: your place is confirmed. We have emailed you the details." }
          : {
              ok: true,
              status,
              changed: true,
              mailed: true,
              message: `The event is full, so you are on the waitlist (number ${number}). If a place frees up it is yours automatically, and we will email you.`,
            };
    }
    return results;
  });
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
    .select({
      id: schema.eventRegistrations.id,
      userId: schema.eventRegistrations.userId,
      invitationSequence: schema.eventRegistrations.invitationSequence,
      invitationHeld: schema.eventRegistrations.invitationHeld,
    })
    .from(schema.eventRegistrations)
    .where(and(eq(schema.eventRegistrations.eventId, event.id), eq(schema.eventRegistrations.status, "waitlisted")))
    .orderBy(asc(schema.eventRegistrations.queuePosition))
    .limit(n);
  if (!heads.length) return 0;
  await tx
    .update(schema.eventRegistrations)
    .set({ status: "confirmed", updatedAt: new Date() })
    .where(
      inArray(
        schema.eventRegistrations.id,
        heads.map((h) => h.id),
      ),
    );
  const organiser = (await organiserNames([event], tx)).get(event.id) ?? null;
  for (const h of heads) {
    const who = await person(tx, h.userId);
    await enqueueEmail(tx, who.email, promotedMessage({ name: who.name, event: eventInfo(event, appUrl) }), [
      await invitationFor(tx, h, event, "REQUEST", who, appUrl, organiser),
    ]);
  }
  return heads.length;
}

/**
 * Cancels a person's place; a confirmed place goes to the head of the waitlist at once.
 * `first` runs in the same transaction, under the event's lock, before anything changes:
 * an outcome from it is the answer and nothing is cancelled ("still coming?" answers once).
 */
export async function cancelRegistration(
  actor: { id: string },
  eventId: string,
  appUrl: string,
  opts: { first?: (tx: Transaction) => Promise<RegistrationResult | null> } = {},
): Promise<RegistrationResult> {
  const cancel = () =>
    transact(async (tx): Promise<RegistrationResult & { mailed?: number }> => {
      const event = await lockEvent(tx, eventId);
      if (!event) return { ok: false, status: 404, message: "We could not find that event." };
      const stop = opts.first ? await opts.first(tx) : null;
      if (stop) return stop;
      const [reg] = await tx
        .select()
        .from(schema.eventRegistrations)
        .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.userId, actor.id)));
      if (!reg || reg.status === "cancelled") return { ok: true, status: "cancelled", changed: false, message: "You were not registered for this event." };
      await tx.update(schema.eventRegistrations).set({ status: "cancelled", updatedAt: new Date() }).where(eq(schema.eventRegistrations.id, reg.id));
      // Their calendar still holds the invitation: withdraw it (their own SEQUENCE rises; the
      // event's, and so everyone else's calendars, do not move).
      let mailed = false;
      if (needsInvitation(reg, "CANCEL") && event.endsAt > new Date()) {
        const who = await person(tx, actor.id);
        await enqueueEmail(tx, who.email, placeCancelledMessage({ name: who.name, event: eventInfo(event, appUrl) }), [
          await invitationFor(tx, reg, event, "CANCEL", who, appUrl),
        ]);
        mailed = true;
      }
      const promoted = reg.status === "confirmed" && event.state === "published" ? await promoteFromWaitlist(tx, event, appUrl) : 0;
      return {
        ok: true,
        status: "cancelled",
        changed: true,
        mailed: promoted + (mailed ? 1 : 0),
        message: reg.status === "confirmed" ? "Your place is cancelled. Thank you for letting someone else have it." : "You have left the waitlist.",
      };
    });
  const result = queueOff() ? await cancel() : await serially(`event:${eventId}`, cancel);
  if (result.ok && result.mailed) notifyOutbox();
  if (!result.ok) return result;
  const { mailed: _m, ...r } = result;
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

/** This person's registration for the event (shared between requests while the data is unchanged). */
export const myRegistration = sharedRead("event.myRegistration", async (eventId: string, userId: string) => {
  const [reg] = await db
    .select()
    .from(schema.eventRegistrations)
    .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.userId, userId)));
  return reg ?? null;
});

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
      // The calendar invitation emailed to them: its last SEQUENCE, and whether it stands.
      calendarInvitationSequence: schema.eventRegistrations.invitationSequence,
      calendarInvitationHeld: schema.eventRegistrations.invitationHeld,
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
  const parts = [
    `${confirmed} confirmed`,
    ...(waitlisted ? [`${waitlisted} on the waitlist`] : []),
    ...(skipped ? [`${skipped} not open for registration`] : []),
  ];
  return { ok: true, message: `You are registered for the series: ${parts.join(", ")}.` };
}

/** The upcoming published dates of an event's series (for its page). */
async function seriesOccurrencesRead(seriesId: string) {
  return db
    .select({
      id: schema.events.id,
      slug: schema.events.slug,
      startsAt: schema.events.startsAt,
      endsAt: schema.events.endsAt,
      timeZone: schema.events.timeZone,
      state: schema.events.state,
    })
    .from(schema.events)
    .where(and(eq(schema.events.seriesId, seriesId), sql`${schema.events.state} <> 'draft'`))
    .orderBy(asc(schema.events.startsAt));
}
/** Shared between requests while the data is unchanged (sharedRead). */
export const seriesOccurrences = sharedRead("event.series", seriesOccurrencesRead);
