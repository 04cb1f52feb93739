import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, lte, ne, or, type SQL, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Event, EventKind } from "../../db/schema";
import { hasRole, rolesOf } from "../auth/permissions.server";
import { organiserNames } from "../calendar/feeds.server";
import { invitationFor, needsInvitation } from "../calendar/invitations.server";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { describeWhen, eventCancelledMessage, eventChangedMessage, organiserMessage } from "../email/templates/events";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, prepared, schema } from "../utils/db.server";
import { mapDbErrors } from "../utils/db-errors.server";
import { readAt } from "../utils/local-time";
import type { Outcome } from "../utils/outcome";
import { onceInRequest, sharedRead } from "../utils/request-memo.server";
import { slugify } from "../utils/slug";
import { organisationsOfPeople } from "./affiliations.server";
import { tellAttendeesTheyCanClaim } from "./claim-news.server";
import { eventFollowers, notify } from "./notifications.server";
import { confirmedCount, eventInfo, promoteFromWaitlist } from "./registrations.server";
import { eventTexts, materialsTexts } from "./rendered-text.server";
import { eventVisibleTo, mayViewEvent, publicEvents, type Seer } from "./visibility.server";

export { mayViewEvent };

import { lockRow, transact } from "../utils/locks.server";

const seerOf = async (userId: string, tx: DbOrTx = db): Promise<Seer> => ({ id: userId, isAdmin: hasRole({ roles: await rolesOf(userId, tx) }, "admin") });

// Events and webinars: who may create and run them, what a change means for the people
// registered, and the listings. Registration itself lives in registrations.server.ts.

export type EventInput = {
  kind: EventKind;
  title: string;
  summary: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  capacity: number | null;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  joinUrl: string | null;
  venue: string | null;
  accessProvisions: string[];
  accessOther: string | null;
  communityId: string | null;
  hubId: string | null;
};

export type EventResult = Outcome<{ slug?: string }, { clashes?: { title: string; slug: string }[] }>;

type Actor = { id: string };

async function facilitatedCommunities(userId: string, tx: DbOrTx = db) {
  return tx
    .select({ id: schema.communities.id, name: schema.communities.name })
    .from(schema.communityMemberships)
    .innerJoin(schema.communities, eq(schema.communities.id, schema.communityMemberships.communityId))
    .where(
      and(
        eq(schema.communityMemberships.userId, userId),
        eq(schema.communityMemberships.role, "facilitator"),
        eq(schema.communityMemberships.status, "active"),
      ),
    )
    .orderBy(asc(schema.communities.name));
}

/** Organisers (platform role) and admins run any event; facilitators run their community's. */
export async function eventCreationRights(userId: string, tx: DbOrTx = db) {
  const roles = await rolesOf(userId, tx);
  return { anyEvent: hasRole({ roles }, "organiser"), communities: await facilitatedCommunities(userId, tx) };
}

/**
 * Where this person may put an event: the one rule for attaching an event to a community
 * or a hub, used when it is created and whenever it is changed. Organisers and admins:
 * any community and any hub; a facilitator: only the communities they facilitate (and an
 * event of theirs must stay in one). An unknown id is a field error, not a database fault.
 * Keeping the community an event already has is always allowed.
 */
export async function attachmentErrors(
  actorId: string,
  input: Pick<EventInput, "communityId" | "hubId">,
  current: Pick<Event, "communityId" | "hubId"> | null,
  tx: DbOrTx = db,
): Promise<Record<string, string> | null> {
  const errors: Record<string, string> = {};
  const rights = await eventCreationRights(actorId, tx);
  const unchangedCommunity = current !== null && current.communityId === input.communityId;
  if (input.communityId && !unchangedCommunity) {
    const [c] = await tx.select({ id: schema.communities.id }).from(schema.communities).where(eq(schema.communities.id, input.communityId));
    if (!c) errors.communityId = "Choose a community from the list";
    else if (!rights.anyEvent && !rights.communities.some((f) => f.id === c.id)) errors.communityId = "You can only put events in communities you facilitate";
  } else if (!input.communityId && !unchangedCommunity && !rights.anyEvent) {
    errors.communityId = "Choose one of the communities you facilitate";
  }
  if (input.hubId && input.hubId !== current?.hubId) {
    const [h] = await tx.select({ id: schema.hubs.id }).from(schema.hubs).where(eq(schema.hubs.id, input.hubId));
    if (!h) errors.hubId = "Choose a hub from the list";
  }
  return Object.keys(errors).length ? errors : null;
}

const attachmentRefusal = (fieldErrors: Record<string, string>): EventResult => ({
  ok: false,
  status: fieldErrors.communityId?.startsWith("You can only") ? 403 : 400,
  message: Object.values(fieldErrors)[0] ?? "Please check the community and hub.",
  fieldErrors,
});

export async function canManageEvent(event: Event, userId: string | null | undefined, tx: DbOrTx = db): Promise<boolean> {
  if (!userId) return false;
  if (tx === db) return managesEvent(event.id, event.communityId, userId);
  return readManagesEvent(event.id, event.communityId, userId, tx);
}

async function readManagesEvent(eventId: string, communityId: string | null, userId: string, tx: DbOrTx = db) {
  if (hasRole({ roles: await rolesOf(userId, tx) }, "admin")) return true;
  const [organiser] = await tx
    .select()
    .from(schema.eventOrganisers)
    .where(and(eq(schema.eventOrganisers.eventId, eventId), eq(schema.eventOrganisers.userId, userId)));
  if (organiser) return true;
  if (communityId) return (await facilitatedCommunities(userId, tx)).some((c) => c.id === communityId);
  return false;
}

/** Whether this person manages the event (shared between requests while the data is unchanged). */
const managesEvent = sharedRead("event.manages", (eventId: string, communityId: string | null, userId: string) =>
  readManagesEvent(eventId, communityId, userId),
);

/** Events in the same hub or community whose times overlap. */
export async function findClashes(input: Pick<EventInput, "startsAt" | "endsAt" | "communityId" | "hubId">, who: Seer, excludeId?: string, tx: DbOrTx = db) {
  const scope: SQL[] = [];
  if (input.communityId) scope.push(eq(schema.events.communityId, input.communityId));
  if (input.hubId) scope.push(eq(schema.events.hubId, input.hubId));
  if (!scope.length) return [];
  return tx
    .select({ title: schema.events.title, slug: schema.events.slug })
    .from(schema.events)
    .where(
      and(
        or(...scope),
        ne(schema.events.state, "cancelled"),
        sql`${schema.events.startsAt} < ${input.endsAt}`,
        sql`${schema.events.endsAt} > ${input.startsAt}`,
        excludeId ? ne(schema.events.id, excludeId) : undefined,
        // Only clashes the person may see are named to them.
        eventVisibleTo(who),
      ),
    )
    .limit(5);
}

const newSlug = (title: string) => `${slugify(title).slice(0, 60) || "event"}-${randomBytes(3).toString("hex")}`;

export type Repeat = { every: "week" | "fortnight" | "month"; count: number } | null;

/**
 * Creates a draft event (or a series of them). An overlap with another event of the
 * same hub or community is reported first; `confirmClash` creates it anyway.
 */
export async function createEvent(actor: Actor, input: EventInput, opts: { confirmClash: boolean; repeat?: Repeat }): Promise<EventResult> {
  const rights = await eventCreationRights(actor.id);
  if (!rights.anyEvent && !rights.communities.length) {
    return { ok: false, status: 403, message: "Only organisers, or a community's facilitators for its own events, can create events." };
  }
  const wrongPlace = await attachmentErrors(actor.id, input, null);
  if (wrongPlace) return attachmentRefusal(wrongPlace);
  if (!opts.confirmClash) {
    const clashes = await findClashes(input, await seerOf(actor.id));
    if (clashes.length) return { ok: false, status: 409, message: "This overlaps another event in the same hub or community.", clashes };
  }
  const repeat = opts.repeat;
  const slug = newSlug(input.title);
  // The community or hub could be deleted between the check above and this write.
  const written = await mapDbErrors(
    () =>
      db.transaction(async (tx) => {
        let seriesId: string | null = null;
        const occurrences = repeat ? repeat.count : 1;
        if (repeat) {
          seriesId = newId();
          const rrule =
            repeat.every === "month"
              ? `FREQ=MONTHLY;COUNT=${repeat.count}`
              : `FREQ=WEEKLY;INTERVAL=${repeat.every === "fortnight" ? 2 : 1};COUNT=${repeat.count}`;
          await tx.insert(schema.eventSeries).values({ id: seriesId, rrule });
        }
        for (let i = 0; i < occurrences; i++) {
          const shift = (d: Date | null) => (d ? shiftDate(d, repeat?.every ?? "week", i, input.timeZone) : null);
          const id = newId();
          await tx.insert(schema.events).values({
            id,
            slug: i === 0 ? slug : `${slug}-${i + 1}`,
            ...input,
            ...eventTexts(input.description),
            startsAt: shift(input.startsAt)!,
            endsAt: shift(input.endsAt)!,
            registrationOpensAt: i === 0 ? input.registrationOpensAt : null,
            registrationClosesAt: shift(input.registrationClosesAt),
            seriesId,
            originalStartsAt: seriesId ? shift(input.startsAt)! : null,
            createdBy: actor.id,
          });
          await tx.insert(schema.eventOrganisers).values({ eventId: id, userId: actor.id });
        }
      }),
    { "foreign-key": attachmentRefusal({ communityId: "Choose a community from the list" }) },
  );
  if (!written.ok) return written.refusal;
  return {
    ok: true,
    slug,
    message: repeat
      ? `Your series of ${repeat.count} events is saved as drafts. Publish each when it is ready.`
      : "Your event is saved as a draft. Publish it when it is ready.",
  };
}

/** Moves a date by whole weeks, fortnights or months in the event's zone, keeping its wall-clock time across DST. */
function shiftDate(d: Date, every: "week" | "fortnight" | "month", n: number, zone: string): Date {
  if (n === 0) return d;
  const local = DateTime.fromJSDate(d, { zone });
  const moved = every === "month" ? local.plus({ months: n }) : local.plus({ weeks: n * (every === "fortnight" ? 2 : 1) });
  return moved.toJSDate();
}

export async function findBySlug(slug: string, tx: DbOrTx = db) {
  const [e] = await tx.select().from(schema.events).where(eq(schema.events.slug, slug)).limit(1);
  return e ?? null;
}

async function registrantsOf(tx: DbOrTx, eventId: string, statuses: ("confirmed" | "waitlisted")[]) {
  return tx
    .select({
      id: schema.eventRegistrations.id,
      name: schema.users.name,
      email: schema.users.email,
      status: schema.eventRegistrations.status,
      invitationSequence: schema.eventRegistrations.invitationSequence,
      invitationHeld: schema.eventRegistrations.invitationHeld,
    })
    .from(schema.eventRegistrations)
    .innerJoin(schema.users, eq(schema.users.id, schema.eventRegistrations.userId))
    .where(and(eq(schema.eventRegistrations.eventId, eventId), inArray(schema.eventRegistrations.status, statuses)));
}

/**
 * Saves changes. A change of time, place or link bumps SEQUENCE and emails everyone
 * registered; a lower capacity than the confirmed count is refused; a higher one
 * promotes from the waitlist.
 */
export async function updateEvent(actor: Actor, slug: string, input: EventInput, appUrl: string, opts: { confirmClash: boolean }): Promise<EventResult> {
  const result = await transact(async (tx): Promise<EventResult & { mailed?: boolean }> => {
    const [event] = await tx.select().from(schema.events).where(eq(schema.events.slug, slug)).for("update");
    if (!event) return { ok: false, status: 404, message: "We could not find that event." };
    if (!(await mayViewEvent(event, actor.id, tx))) return { ok: false, status: 404, message: "We could not find that event." };
    if (!(await canManageEvent(event, actor.id, tx))) return { ok: false, status: 403, message: "Only this event's organisers can change it." };
    if (event.state === "cancelled") return { ok: false, status: 409, message: "A cancelled event cannot be changed." };
    const wrongPlace = await attachmentErrors(actor.id, input, event, tx);
    if (wrongPlace) return attachmentRefusal(wrongPlace);
    const confirmed = await confirmedCount(tx, event.id);
    if (input.capacity !== null && input.capacity < confirmed) {
      return {
        ok: false,
        status: 400,
        message: `${confirmed} people already hold confirmed places: the capacity cannot go below that.`,
        fieldErrors: { capacity: `At least ${confirmed} (the places already confirmed)` },
      };
    }
    if (!opts.confirmClash) {
      const clashes = await findClashes(input, await seerOf(actor.id, tx), event.id, tx);
      if (clashes.length) return { ok: false, status: 409, message: "This overlaps another event in the same hub or community.", clashes };
    }
    const changes: string[] = [];
    if (+event.startsAt !== +input.startsAt || +event.endsAt !== +input.endsAt || event.timeZone !== input.timeZone) changes.push("the time");
    if ((event.venue ?? "") !== (input.venue ?? "")) changes.push("the place");
    if ((event.joinUrl ?? "") !== (input.joinUrl ?? "")) changes.push("the joining link");
    const calendarChange = changes.length > 0 || event.title !== input.title;
    const [updated] = await tx
      .update(schema.events)
      .set({ ...input, ...eventTexts(input.description), sequence: calendarChange ? event.sequence + 1 : event.sequence, updatedAt: new Date() })
      .where(eq(schema.events.id, event.id))
      .returning();
    let mailed = false;
    if (changes.length && updated.state === "published") {
      await tellFollowers(tx, updated, `Changed: ${updated.title} (${changes.join(", ")}), now ${describeWhen(updated)}`, actor.id);
      const organiser = (await organiserNames([updated], tx)).get(updated.id) ?? null;
      for (const r of await registrantsOf(tx, event.id, ["confirmed", "waitlisted"])) {
        // A confirmed place's calendar gets the updated invitation (a higher SEQUENCE).
        const invite = r.status === "confirmed" ? [await invitationFor(tx, r, updated, "REQUEST", r, appUrl, organiser)] : [];
        await enqueueEmail(
          tx,
          r.email,
          eventChangedMessage({
            name: r.name,
            event: eventInfo(updated, appUrl),
            confirmed: r.status === "confirmed",
            changes,
            withInvitation: invite.length > 0,
          }),
          invite,
        );
        mailed = true;
      }
    }
    if (updated.state === "published" && (updated.capacity === null || (event.capacity !== null && updated.capacity > event.capacity))) {
      if ((await promoteFromWaitlist(tx, updated, appUrl)) > 0) mailed = true;
    }
    return {
      ok: true,
      mailed,
      message:
        changes.length && updated.state === "published"
          ? `Saved. Everyone registered has been told about the change of ${changes.join(" and ")}.`
          : "Your changes are saved.",
    };
  });
  if (result.ok && result.mailed) notifyOutbox();
  if (!result.ok) return result;
  return { ok: true, message: result.message };
}

/**
 * Publishes a draft. Read and written in one transaction, the row locked and the update
 * conditional on the state still being "draft": a cancellation that lands first is never
 * followed by a re-publish.
 */
export async function publishEvent(actor: Actor, slug: string): Promise<EventResult> {
  return transact(async (tx): Promise<EventResult> => {
    const event = await lockRow(tx.select().from(schema.events).where(eq(schema.events.slug, slug)));
    if (!event) return { ok: false, status: 404, message: "We could not find that event." };
    if (!(await mayViewEvent(event, actor.id, tx))) return { ok: false, status: 404, message: "We could not find that event." };
    if (!(await canManageEvent(event, actor.id, tx))) return { ok: false, status: 403, message: "Only this event's organisers can publish it." };
    if (event.state !== "draft")
      return { ok: false, status: 409, message: event.state === "published" ? "It is already published." : "A cancelled event cannot be published." };
    if (event.kind === "webinar" && !event.joinUrl) return { ok: false, status: 400, message: "Add the joining link before publishing a webinar." };
    if (event.kind !== "webinar" && !event.venue && !event.joinUrl)
      return { ok: false, status: 400, message: "Add a venue address (or a joining link) before publishing." };
    const published = await tx
      .update(schema.events)
      .set({ state: "published", updatedAt: new Date() })
      .where(and(eq(schema.events.id, event.id), eq(schema.events.state, "draft")))
      .returning({ id: schema.events.id });
    if (!published.length) return { ok: false, status: 409, message: "It is no longer a draft: reload the page to see what changed." };
    await tellFollowers(tx, { ...event, state: "published" }, `New event: ${event.title}, ${describeWhen(event)}`, actor.id);
    return { ok: true, message: "Your event is published: people can now register." };
  });
}

/** Cancels an event and tells everyone registered. It stays visible, marked cancelled. */
export async function cancelEvent(actor: Actor, slug: string, appUrl: string): Promise<EventResult> {
  const result = await transact(async (tx): Promise<EventResult> => {
    const [event] = await tx.select().from(schema.events).where(eq(schema.events.slug, slug)).for("update");
    if (!event) return { ok: false, status: 404, message: "We could not find that event." };
    if (!(await mayViewEvent(event, actor.id, tx))) return { ok: false, status: 404, message: "We could not find that event." };
    if (!(await canManageEvent(event, actor.id, tx))) return { ok: false, status: 403, message: "Only this event's organisers can cancel it." };
    if (event.state === "cancelled") return { ok: false, status: 409, message: "It is already cancelled." };
    const [updated] = await tx
      .update(schema.events)
      .set({ state: "cancelled", cancelledAt: new Date(), sequence: event.sequence + 1, updatedAt: new Date() })
      .where(eq(schema.events.id, event.id))
      .returning();
    if (event.state === "published") {
      await tellFollowers(tx, updated, `Cancelled: ${updated.title}, which was on ${describeWhen(updated)}`, actor.id);
      const organiser = (await organiserNames([updated], tx)).get(updated.id) ?? null;
      for (const r of await registrantsOf(tx, event.id, ["confirmed", "waitlisted"])) {
        // Whoever holds the invitation in their calendar is sent its cancellation.
        const cancel = needsInvitation(r, "CANCEL") ? [await invitationFor(tx, r, updated, "CANCEL", r, appUrl, organiser)] : [];
        await enqueueEmail(tx, r.email, eventCancelledMessage({ name: r.name, event: eventInfo(updated, appUrl), withInvitation: cancel.length > 0 }), cancel);
      }
    }
    return { ok: true, message: "The event is cancelled, and everyone registered has been told." };
  });
  if (result.ok) notifyOutbox();
  return result;
}

/**
 * Tells the event's followers (its community's, hub's, series' and organisers'
 * organisations') who may see it, in the change's transaction. People registered are told
 * by their own mail already, so they are left out.
 */
async function tellFollowers(tx: DbOrTx, event: Event, text: string, actorId: string) {
  const {
    rows: [space],
  } = await tx.execute<{ kind: "community" | "hub" | "event"; title: string }>(sql`
    select case when c.id is not null then 'community' when h.id is not null then 'hub' else 'event' end as kind,
           coalesce(c.name, h.title, ${event.title}) as title
      from (select 1) one left join communities c on c.id = ${event.communityId} left join hubs h on h.id = ${event.hubId}`);
  await notify(
    tx,
    sql`select user_id from (${eventFollowers(event.id)}) f
        where user_id not in (select user_id from event_registrations where event_id = ${event.id} and status in ('confirmed', 'waitlisted'))`,
    { kind: "events", subjectKey: `event:${event.id}`, spaceKind: space.kind, spaceTitle: space.title, text, path: `/events/${event.slug}` },
    actorId,
  );
}

/** A new draft with the same details, a week later, organised by the person duplicating. */
export async function duplicateEvent(actor: Actor, slug: string): Promise<EventResult> {
  const event = await findBySlug(slug);
  if (!event) return { ok: false, status: 404, message: "We could not find that event." };
  if (!(await mayViewEvent(event, actor.id))) return { ok: false, status: 404, message: "We could not find that event." };
  if (!(await canManageEvent(event, actor.id))) return { ok: false, status: 403, message: "Only this event's organisers can duplicate it." };
  const week = 7 * 86_400_000;
  const id = newId();
  const copySlug = newSlug(event.title);
  await db.transaction(async (tx) => {
    await tx.insert(schema.events).values({
      ...event,
      id,
      slug: copySlug,
      state: "draft",
      seriesId: null,
      originalStartsAt: null,
      sequence: 0,
      startsAt: new Date(event.startsAt.getTime() + week),
      endsAt: new Date(event.endsAt.getTime() + week),
      registrationOpensAt: null,
      registrationClosesAt: null,
      materials: "",
      materialsHtml: "",
      recordingUrl: null,
      cancelledAt: null,
      createdBy: actor.id,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await tx.insert(schema.eventOrganisers).values({ eventId: id, userId: actor.id });
  });
  return { ok: true, slug: copySlug, message: "A copy is saved as a draft, a week later. Check the details and publish it." };
}

export async function messageRegistrants(actor: Actor & { name?: string }, slug: string, subject: string, body: string, appUrl: string): Promise<EventResult> {
  const result = await transact(async (tx): Promise<EventResult> => {
    const event = await findBySlug(slug, tx);
    if (!event) return { ok: false, status: 404, message: "We could not find that event." };
    if (!(await mayViewEvent(event, actor.id, tx))) return { ok: false, status: 404, message: "We could not find that event." };
    if (!(await canManageEvent(event, actor.id, tx))) return { ok: false, status: 403, message: "Only this event's organisers can message its registrants." };
    const [me] = await tx.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, actor.id));
    const people = await registrantsOf(tx, event.id, ["confirmed"]);
    for (const r of people) {
      await enqueueEmail(tx, r.email, organiserMessage({ name: r.name, event: eventInfo(event, appUrl), from: me?.name ?? "The organisers", subject, body }));
    }
    return { ok: true, message: `Your message is on its way to ${people.length} confirmed registrant${people.length === 1 ? "" : "s"}.` };
  });
  if (result.ok) notifyOutbox();
  return result;
}

/**
 * Records who came: every confirmed place is marked attended if its registration is among
 * `presentIds`, and not attended otherwise (the form lists every confirmed place, ticked
 * or not). Ids of other events' or unconfirmed registrations change nothing.
 */
export async function markAttendance(actor: Actor, slug: string, presentIds: string[]): Promise<EventResult> {
  const event = await findBySlug(slug);
  if (!event) return { ok: false, status: 404, message: "We could not find that event." };
  if (!(await mayViewEvent(event, actor.id))) return { ok: false, status: 404, message: "We could not find that event." };
  if (!(await canManageEvent(event, actor.id))) return { ok: false, status: 403, message: "Only this event's organisers can record attendance." };
  const present = presentIds.length ? inArray(schema.eventRegistrations.id, presentIds) : sql`false`;
  await db
    .update(schema.eventRegistrations)
    .set({ attended: sql`(${present})`, updatedAt: new Date() })
    .where(and(eq(schema.eventRegistrations.eventId, event.id), eq(schema.eventRegistrations.status, "confirmed")));
  // People an offer pays are told they can now claim (once each).
  await tellAttendeesTheyCanClaim(db, event);
  return { ok: true, message: "Attendance is saved." };
}

export async function setMaterials(actor: Actor, slug: string, materials: string, recordingUrl: string | null): Promise<EventResult> {
  const event = await findBySlug(slug);
  if (!event) return { ok: false, status: 404, message: "We could not find that event." };
  if (!(await mayViewEvent(event, actor.id))) return { ok: false, status: 404, message: "We could not find that event." };
  if (!(await canManageEvent(event, actor.id))) return { ok: false, status: 403, message: "Only this event's organisers can add materials." };
  await db
    .update(schema.events)
    .set({ materials, ...materialsTexts(materials), recordingUrl, updatedAt: new Date() })
    .where(eq(schema.events.id, event.id));
  return { ok: true, message: "Materials and recording are saved." };
}

// ---------------------------------------------------------------- reading

export async function getEventForViewer(slug: string, userId: string | null | undefined) {
  // The same read (and visibility rule) the event's discussion makes: done once per request.
  const event = await eventForViewer(slug, userId);
  if (!event) return null;
  const [facts, canManage] = await Promise.all([eventFacts(event.id, event.communityId, event.hubId), canManageEvent(event, userId)]);
  return { event, ...facts, canManage };
}

/** An event's organisers, community, hub and places, in one statement (shared between requests). */
const eventFacts = sharedRead("event.facts", async (eventId: string, communityId: string | null, hubId: string | null) => {
  const {
    rows: [facts],
  } = await db.execute<{
    organisers: { id: string; name: string }[];
    community: { name: string; slug: string } | null;
    hub: { title: string; slug: string } | null;
    confirmed: number;
    waiting: number;
  }>(sql`select
      coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name)
                  from event_organisers o join users u on u.id = o.user_id where o.event_id = ${eventId}), '[]'::json) as organisers,
      (select json_build_object('name', c.name, 'slug', c.slug) from communities c where c.id = ${communityId}) as community,
      (select json_build_object('title', h.title, 'slug', h.slug) from hubs h where h.id = ${hubId}) as hub,
      (select count(*)::int from event_registrations r where r.event_id = ${eventId} and r.status = 'confirmed') as confirmed,
      (select count(*)::int from event_registrations r where r.event_id = ${eventId} and r.status = 'waitlisted') as waiting`);
  return facts;
});

export const EVENTS_PAGE_SIZE = 20;
export type EventFilters = { when?: "upcoming" | "past"; kind?: string; community?: string; hub?: string; page?: number };

/** Published events (cancelled ones stay listed, marked) this viewer may see, paginated. */
export async function listEvents(filters: EventFilters, who: Seer, now = new Date()) {
  const where: SQL[] = [inArray(schema.events.state, ["published", "cancelled"])];
  const past = filters.when === "past";
  where.push(past ? lte(schema.events.endsAt, now) : gt(schema.events.endsAt, now));
  if (filters.kind) where.push(eq(schema.events.kind, filters.kind as EventKind));
  if (filters.community) where.push(eq(schema.communities.slug, filters.community));
  if (filters.hub) where.push(eq(schema.hubs.slug, filters.hub));
  where.push(eventVisibleTo(who));
  const page = Math.max(1, Math.min(1000, filters.page ?? 1));
  const e = schema.events;
  const base = db
    .select({
      // What a listing shows (not descriptions or materials), and each event's places taken.
      event: {
        id: e.id,
        slug: e.slug,
        seriesId: e.seriesId,
        title: e.title,
        kind: e.kind,
        summary: e.summary,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        timeZone: e.timeZone,
        state: e.state,
        capacity: e.capacity,
        communityId: e.communityId,
        hubId: e.hubId,
      },
      confirmed: sql<number>`(select count(*)::int from event_registrations r where r.event_id = ${e.id} and r.status = 'confirmed')`,
      communityName: schema.communities.name,
      communitySlug: schema.communities.slug,
      hubTitle: schema.hubs.title,
      hubSlug: schema.hubs.slug,
    })
    .from(schema.events)
    .leftJoin(schema.communities, eq(schema.communities.id, schema.events.communityId))
    .leftJoin(schema.hubs, eq(schema.hubs.id, schema.events.hubId))
    .where(and(...where));
  const rows = await base
    .orderBy(past ? desc(schema.events.startsAt) : asc(schema.events.startsAt))
    .limit(EVENTS_PAGE_SIZE + 1)
    .offset((page - 1) * EVENTS_PAGE_SIZE);
  return { page, hasMore: rows.length > EVENTS_PAGE_SIZE, events: rows.slice(0, EVENTS_PAGE_SIZE) };
}

/** Upcoming published events of a community or hub that this viewer may see (for their pages). */
export function upcomingEventsFor(scope: { communityId?: string; hubId?: string }, who: Seer, limit = 10) {
  // To the minute (an event that ended seconds ago may show until the minute turns), so
  // that the read can be shared between requests while the data is unchanged.
  return upcomingEventsAt({ communityId: scope.communityId ?? null, hubId: scope.hubId ?? null }, who, limit, readAt(new Date()));
}

const upcomingEventsAt = sharedRead(
  "events.upcoming",
  async (scope: { communityId: string | null; hubId: string | null }, who: Seer, limit: number, at: string) => {
    const where: SQL[] = [eq(schema.events.state, "published"), gt(schema.events.endsAt, new Date(at)), eventVisibleTo(who)];
    if (scope.communityId) where.push(eq(schema.events.communityId, scope.communityId));
    if (scope.hubId) where.push(eq(schema.events.hubId, scope.hubId));
    return db
      .select()
      .from(schema.events)
      .where(and(...where))
      .orderBy(asc(schema.events.startsAt))
      .limit(limit);
  },
);

/** Events organised by members of an organisation (its directory profile; engagement: connector). */
export async function eventsHostedBy(orgId: string, who: Seer, limit = 40) {
  return db
    .selectDistinct({
      id: schema.events.id,
      title: schema.events.title,
      slug: schema.events.slug,
      seriesId: schema.events.seriesId,
      startsAt: schema.events.startsAt,
      endsAt: schema.events.endsAt,
      timeZone: schema.events.timeZone,
      state: schema.events.state,
    })
    .from(schema.events)
    .innerJoin(schema.eventOrganisers, eq(schema.eventOrganisers.eventId, schema.events.id))
    .innerJoin(
      schema.organisationMemberships,
      and(eq(schema.organisationMemberships.userId, schema.eventOrganisers.userId), eq(schema.organisationMemberships.status, "active")),
    )
    .where(and(eq(schema.organisationMemberships.organisationId, orgId), ne(schema.events.state, "draft"), eventVisibleTo(who)))
    .orderBy(desc(schema.events.startsAt))
    .limit(limit);
}

export async function hostingOrganisationIds(orgIds: string[], tx: DbOrTx = db): Promise<Set<string>> {
  if (!orgIds.length) return new Set();
  const rows = await tx
    .selectDistinct({ id: schema.organisationMemberships.organisationId })
    .from(schema.organisationMemberships)
    .innerJoin(schema.eventOrganisers, eq(schema.eventOrganisers.userId, schema.organisationMemberships.userId))
    .innerJoin(schema.events, eq(schema.events.id, schema.eventOrganisers.eventId))
    .where(
      and(
        inArray(schema.organisationMemberships.organisationId, orgIds),
        eq(schema.organisationMemberships.status, "active"),
        eq(schema.events.state, "published"),
        publicEvents(),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/** The attendee list for organisers: names, organisations, status, access needs, attendance. */
export async function attendeeList(actor: Actor, slug: string) {
  const event = await findBySlug(slug);
  // Someone who may not see the event learns nothing, not even that it exists.
  if (!event || !(await mayViewEvent(event, actor.id))) return null;
  if (!(await canManageEvent(event, actor.id))) return "forbidden" as const;
  const regs = await db
    .select({
      id: schema.eventRegistrations.id,
      userId: schema.users.id,
      name: schema.users.name,
      email: schema.users.email,
      status: schema.eventRegistrations.status,
      queuePosition: schema.eventRegistrations.queuePosition,
      accessNeeds: schema.eventRegistrations.accessNeeds,
      accessNotes: schema.eventRegistrations.accessNotes,
      attended: schema.eventRegistrations.attended,
      registeredAt: schema.eventRegistrations.createdAt,
    })
    .from(schema.eventRegistrations)
    .innerJoin(schema.users, eq(schema.users.id, schema.eventRegistrations.userId))
    .where(and(eq(schema.eventRegistrations.eventId, event.id), ne(schema.eventRegistrations.status, "cancelled")))
    .orderBy(sql`${schema.eventRegistrations.status} = 'waitlisted'`, asc(schema.eventRegistrations.queuePosition));
  const orgs = await organisationsOfPeople(regs.map((r) => r.userId));
  return { event, attendees: regs.map((r) => ({ ...r, organisations: (orgs.get(r.userId) ?? []).map((o) => o.name) })) };
}

/** Communities and hubs a person may attach an event to (the event form's choices). */
export async function eventFormChoices(userId: string) {
  const rights = await eventCreationRights(userId);
  const communities = rights.anyEvent
    ? await db.select({ id: schema.communities.id, name: schema.communities.name }).from(schema.communities).orderBy(asc(schema.communities.name))
    : rights.communities;
  const hubs = await db.select({ id: schema.hubs.id, title: schema.hubs.title }).from(schema.hubs).orderBy(asc(schema.hubs.momentAt));
  return { rights, communities, hubs };
}

export async function getEventForEditing(actor: Actor, slug: string) {
  const event = await findBySlug(slug);
  if (!event || !(await mayViewEvent(event, actor.id))) return null;
  if (!(await canManageEvent(event, actor.id))) return "forbidden" as const;
  return event;
}

/** An event this viewer may act on (register, cancel), with the least work: a hot path. */
export async function eventForViewer(slug: string, userId: string | null | undefined): Promise<Event | null> {
  return onceInRequest(`event:${slug}:${userId ?? ""}`, db, () => readEventForViewer(slug, userId));
}

async function readEventForViewer(slug: string, userId: string | null | undefined): Promise<Event | null> {
  const e = await eventRowBySlug(slug);
  if (!e) return null;
  if (e.state === "published" && !e.communityId) return e;
  return (await mayViewEventBySlug(slug, userId ?? null)) ? e : null;
}

/** An event by its address, whoever asks (shared between requests while the data is unchanged). */
const eventRowBySlug = sharedRead("event.bySlug", async (slug: string): Promise<Event | null> => {
  const bySlug = prepared("convene_event_by_slug", (d) =>
    d
      .select()
      .from(schema.events)
      .where(eq(schema.events.slug, sql.placeholder("slug")))
      .limit(1)
      .prepare("convene_event_by_slug"),
  );
  const [e] = await bySlug.execute({ slug });
  return e ?? null;
});

const mayViewEventBySlug = sharedRead("event.mayView", async (slug: string, userId: string | null) => {
  const e = await eventRowBySlug(slug);
  return !!e && (await mayViewEvent(e, userId));
});
