import { and, asc, eq, gt, inArray, isNotNull, isNull, notInArray, or, type SQL, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Event, Hub } from "../../db/schema";
import { storedText } from "../models/rendered-text.server";
import { eventVisibleTo, publicEvents, type Seer } from "../models/visibility.server";
import { newToken, sha256hex } from "../utils/crypto.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { type AllDayItem, buildCalendar, type CalendarEvent, type SeriesInfo } from "./ics.server";

// Calendar feeds: which events each feed carries, its ETag, and people's private feed
// tokens. The public feeds never carry a joining link; a private feed carries the links
// of the events its owner holds a confirmed place at.

/** A cancelled event stays in feeds this long, marked cancelled, so calendars remove it. */
export const CANCELLED_KEPT_DAYS = 90;
/** Past events stay this long, so a subscribed calendar does not lose what just happened. */
export const PAST_KEPT_DAYS = 30;

const DAY = 86_400_000;

function inFeedWindow(now: Date): SQL {
  return or(
    and(eq(schema.events.state, "published"), gt(schema.events.endsAt, new Date(+now - PAST_KEPT_DAYS * DAY))),
    and(eq(schema.events.state, "cancelled"), gt(schema.events.cancelledAt, new Date(+now - CANCELLED_KEPT_DAYS * DAY))),
  )!;
}

/** What decides a feed's ETag: read first, so a 304 costs one light query. */
type Stamp = Pick<Event, "id" | "sequence" | "updatedAt" | "state">;
const stampColumns = { id: schema.events.id, sequence: schema.events.sequence, updatedAt: schema.events.updatedAt, state: schema.events.state };

async function feedEvents(where: SQL[]): Promise<Stamp[]> {
  return db
    .select(stampColumns)
    .from(schema.events)
    .leftJoin(schema.communities, eq(schema.communities.id, schema.events.communityId))
    .where(and(...where))
    .orderBy(asc(schema.events.startsAt));
}

async function fullRows(stamps: Stamp[]): Promise<Event[]> {
  const rows: Event[] = [];
  for (let i = 0; i < stamps.length; i += 5000) {
    rows.push(
      ...(await db
        .select()
        .from(schema.events)
        .where(
          inArray(
            schema.events.id,
            stamps.slice(i, i + 5000).map((e) => e.id),
          ),
        )),
    );
  }
  return rows.sort((a, b) => +a.startsAt - +b.startsAt);
}

/** Every series among these events: its rule and all its occurrences' original starts. */
async function seriesOf(events: Event[]): Promise<Map<string, SeriesInfo>> {
  const ids = [...new Set(events.map((e) => e.seriesId).filter((s): s is string => !!s))];
  const map = new Map<string, SeriesInfo>();
  if (!ids.length) return map;
  const rows = await db
    .select({ seriesId: schema.eventSeries.id, rrule: schema.eventSeries.rrule, original: schema.events.originalStartsAt, sequence: schema.events.sequence })
    .from(schema.eventSeries)
    .innerJoin(schema.events, eq(schema.events.seriesId, schema.eventSeries.id))
    .where(and(inArray(schema.eventSeries.id, ids), isNotNull(schema.events.originalStartsAt)));
  for (const r of rows) {
    const s = map.get(r.seriesId) ?? { rrule: r.rrule, originals: [], sequence: 0 };
    s.originals.push(r.original!);
    s.sequence = (s.sequence ?? 0) + r.sequence;
    map.set(r.seriesId, s);
  }
  return map;
}

/** Each event's organiser's name (the first by name), for ORGANIZER's CN. */
export async function organiserNames(events: Pick<Event, "id">[], conn: DbOrTx = db): Promise<Map<string, string>> {
  if (!events.length) return new Map();
  const rows = await conn
    .select({ eventId: schema.eventOrganisers.eventId, name: sql<string>`min(${schema.users.name})` })
    .from(schema.eventOrganisers)
    .innerJoin(schema.users, eq(schema.users.id, schema.eventOrganisers.userId))
    .where(
      inArray(
        schema.eventOrganisers.eventId,
        events.map((e) => e.id),
      ),
    )
    .groupBy(schema.eventOrganisers.eventId);
  return new Map(rows.map((r) => [r.eventId, r.name]));
}

export type LoadedFeed = { name: string; etag: string; build: () => Promise<string> };
type FeedOptions = { joinFor?: Set<string>; allDay?: AllDayItem[] };

/**
 * A feed's ETag comes from what it is made of (each row's id, SEQUENCE, state and last
 * change, plus its all-day items), so a calendar that already has it gets a 304 without
 * the feed being built again. Series and organiser names are read only when it is built.
 */
function loaded(name: string, appUrl: string, stamps: Stamp[], opts: FeedOptions = {}): LoadedFeed {
  const parts = [
    name,
    appUrl,
    ...stamps.map((e) => `${e.id}.${e.sequence}.${+e.updatedAt}.${e.state}.${opts.joinFor?.has(e.id) ? 1 : 0}`),
    ...(opts.allDay ?? []).map((d) => `${d.uid}.${d.date}.${+d.lastModified}`),
  ];
  return {
    name,
    etag: `"${sha256hex(parts.join("|")).slice(0, 32)}"`,
    build: async () => {
      const events = await fullRows(stamps);
      const [series, organisers] = await Promise.all([seriesOf(events), organiserNames(events)]);
      const items: CalendarEvent[] = events.map((event) => ({
        event,
        organiser: organisers.get(event.id) ?? null,
        includeJoinUrl: !!opts.joinFor?.has(event.id),
      }));
      return buildCalendar({ name, appUrl, events: items, series, allDay: opts.allDay });
    },
  };
}

/** `/calendar.ics`: every public event, upcoming (and recent, and recently cancelled). */
export async function publicFeed(appUrl: string, now = new Date()): Promise<LoadedFeed> {
  return loaded("Convene events", appUrl, await feedEvents([inFeedWindow(now), publicEvents()]));
}

/** A community's events; null when the viewer may not see the community (404). */
export async function communityFeed(community: { id: string; name: string }, appUrl: string, now = new Date()): Promise<LoadedFeed> {
  return loaded(`${community.name} · Convene`, appUrl, await feedEvents([inFeedWindow(now), eq(schema.events.communityId, community.id)]));
}

const londonDate = (d: Date) => DateTime.fromJSDate(d, { zone: "Europe/London" }).toISODate()!;

export function momentItem(hub: Hub, appUrl: string): AllDayItem {
  return {
    uid: `moment-${hub.id}@convene`,
    date: londonDate(hub.momentAt),
    summary: hub.momentName,
    description: [(hub.summary || storedText(hub.descriptionText, hub.description)).slice(0, 2000), "", `Hub: ${appUrl}/hubs/${hub.slug}`].join("\n").trim(),
    url: `${appUrl}/hubs/${hub.slug}`,
    lastModified: hub.updatedAt,
  };
}

/** A hub's events, and the political moment itself as an all-day event. */
export async function hubFeed(hub: Hub, appUrl: string, now = new Date()): Promise<LoadedFeed> {
  const events = await feedEvents([inFeedWindow(now), eq(schema.events.hubId, hub.id), publicEvents()]);
  return loaded(`${hub.title} · Convene`, appUrl, events, { allDay: [momentItem(hub, appUrl)] });
}

/**
 * A person's private feed: the events they hold a confirmed place at (with joining links;
 * one they cancelled drops out, one the organisers cancelled stays, marked), and the due
 * dates of research tasks they lead or help with.
 */
export async function personalFeed(userId: string, appUrl: string, now = new Date()): Promise<LoadedFeed> {
  // Only what its owner may still see: someone who left a private community keeps no
  // place (and no joining link) of its events here.
  const [admin] = await db
    .select({ role: schema.userRoles.role })
    .from(schema.userRoles)
    .where(and(eq(schema.userRoles.userId, userId), eq(schema.userRoles.role, "admin")));
  const owner: Seer = { id: userId, isAdmin: !!admin };
  const events = await db
    .select(stampColumns)
    .from(schema.eventRegistrations)
    .innerJoin(schema.events, eq(schema.events.id, schema.eventRegistrations.eventId))
    .where(and(eq(schema.eventRegistrations.userId, userId), eq(schema.eventRegistrations.status, "confirmed"), inFeedWindow(now), eventVisibleTo(owner)))
    .orderBy(asc(schema.events.startsAt));
  const tasks = await db
    .selectDistinct({
      id: schema.tasks.id,
      title: schema.tasks.title,
      dueDate: schema.tasks.dueDate,
      updatedAt: schema.tasks.updatedAt,
      hubSlug: schema.hubs.slug,
      hubTitle: schema.hubs.title,
    })
    .from(schema.tasks)
    .innerJoin(schema.hubs, eq(schema.hubs.id, schema.tasks.hubId))
    .leftJoin(schema.taskCollaborators, and(eq(schema.taskCollaborators.taskId, schema.tasks.id), eq(schema.taskCollaborators.userId, userId)))
    .where(
      and(
        isNotNull(schema.tasks.dueDate),
        isNull(schema.tasks.mergedIntoId),
        notInArray(schema.tasks.status, ["published", "dropped"]),
        or(eq(schema.tasks.leadUserId, userId), isNotNull(schema.taskCollaborators.userId)),
      ),
    );
  const allDay: AllDayItem[] = tasks
    .filter((t) => /^\d{4}-\d{2}-\d{2}$/.test(t.dueDate ?? ""))
    .map((t) => ({
      uid: `task-${t.id}@convene`,
      date: t.dueDate!,
      summary: `Due: ${t.title}`,
      description: `Research task in ${t.hubTitle}.\n\nTask: ${appUrl}/hubs/${t.hubSlug}/tasks/${t.id}`,
      url: `${appUrl}/hubs/${t.hubSlug}/tasks/${t.id}`,
      lastModified: t.updatedAt,
    }));
  return loaded("My Convene calendar", appUrl, events, { joinFor: new Set(events.map((e) => e.id)), allDay });
}

// ---------------------------------------------------------------- private feed tokens

/** Makes (or replaces) a person's feed token. The token is returned once and never stored. */
export async function regenerateFeedToken(userId: string): Promise<string> {
  const token = newToken();
  await db
    .insert(schema.calendarFeeds)
    .values({ userId, tokenHash: sha256hex(token) })
    .onConflictDoUpdate({ target: schema.calendarFeeds.userId, set: { tokenHash: sha256hex(token), createdAt: new Date(), lastFetchedAt: null } });
  return token;
}

export async function revokeFeedToken(userId: string): Promise<boolean> {
  const rows = await db.delete(schema.calendarFeeds).where(eq(schema.calendarFeeds.userId, userId)).returning({ userId: schema.calendarFeeds.userId });
  return rows.length > 0;
}

export async function feedStatus(userId: string) {
  const [row] = await db
    .select({ createdAt: schema.calendarFeeds.createdAt, lastFetchedAt: schema.calendarFeeds.lastFetchedAt })
    .from(schema.calendarFeeds)
    .where(eq(schema.calendarFeeds.userId, userId));
  return row ?? null;
}

/** The owner of a feed token, noting the fetch (at most once a minute); null if unknown or revoked. */
export async function feedOwner(token: string, now = new Date()): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [row] = await db
    .select()
    .from(schema.calendarFeeds)
    .where(eq(schema.calendarFeeds.tokenHash, sha256hex(token)));
  if (!row) return null;
  if (!row.lastFetchedAt || +now - +row.lastFetchedAt > 60_000) {
    await db.update(schema.calendarFeeds).set({ lastFetchedAt: now }).where(eq(schema.calendarFeeds.userId, row.userId));
  }
  return row.userId;
}
