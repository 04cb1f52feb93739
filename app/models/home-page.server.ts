import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Viewer } from "../auth/permissions.server";
import { db, schema } from "../utils/db.server";
import { listEvents } from "./events.server";
import { listHubs } from "./hubs.server";
import { tasksOfPerson } from "./task-reads.server";
import { seer } from "./visibility.server";

// Home, in one call: what is next for this person. Signed in: their next events (with
// their place or waitlist position), the live moment hubs and what is unclaimed in them,
// their tasks and what is due, and what is coming up in their communities. Signed out:
// what is coming up and the live hubs.

export async function getHomePage(viewer: Viewer | null, now = new Date()) {
  const [hubs, upcoming] = await Promise.all([listHubs(now), listEvents({ when: "upcoming" }, seer(viewer), now)]);
  const liveHubs = hubs.filter((h) => h.stage === "active" || h.stage === "upcoming").slice(0, 3);
  if (!viewer) return { signedIn: false as const, liveHubs, upcoming: upcoming.events.slice(0, 4) };

  const [myEvents, myTasks, communityEvents] = await Promise.all([myNextEvents(viewer.id, now), tasksOfPerson(viewer.id), eventsInMyCommunities(viewer, now)]);
  return {
    signedIn: true as const,
    liveHubs,
    // What else is coming up: not the events already listed above it.
    upcoming: upcoming.events
      .filter((e) => !myEvents.some((m) => m.slug === e.event.slug) && !communityEvents.some((c) => c.slug === e.event.slug))
      .slice(0, 4),
    myEvents,
    myTasks: myTasks.filter((t) => t.status !== "published" && t.status !== "dropped"),
    communityEvents,
  };
}

/** What a list of a person's events shows of each: its address, title and time. */
export const eventWhen = () => ({
  slug: schema.events.slug,
  title: schema.events.title,
  startsAt: schema.events.startsAt,
  endsAt: schema.events.endsAt,
  timeZone: schema.events.timeZone,
});

/** The events this person holds a place at, or waits for, from now on; with their place in the queue. */
export async function myNextEvents(userId: string, now: Date) {
  const r = schema.eventRegistrations;
  const mine = await db
    .select({
      eventId: schema.events.id,
      ...eventWhen(),
      status: r.status,
      queuePosition: r.queuePosition,
    })
    .from(r)
    .innerJoin(schema.events, eq(schema.events.id, r.eventId))
    .where(and(eq(r.userId, userId), inArray(r.status, ["confirmed", "waitlisted"]), eq(schema.events.state, "published"), gt(schema.events.endsAt, now)))
    .orderBy(asc(schema.events.startsAt))
    .limit(6);
  // Each waitlisted place's position: how many wait ahead of it, plus one (one query).
  const waiting = mine.filter((m) => m.status === "waitlisted").map((m) => m.eventId);
  const others = alias(r, "others");
  const counts = waiting.length
    ? await db
        .select({ eventId: r.eventId, n: sql<number>`count(${others.userId})::int` })
        .from(r)
        .leftJoin(others, and(eq(others.eventId, r.eventId), eq(others.status, "waitlisted"), lt(others.queuePosition, r.queuePosition)))
        .where(and(eq(r.userId, userId), inArray(r.eventId, waiting)))
        .groupBy(r.eventId)
    : [];
  const ahead = new Map(counts.map((c) => [c.eventId, c.n + 1]));
  return mine.map((m) => ({
    slug: m.slug,
    title: m.title,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    timeZone: m.timeZone,
    status: m.status as "confirmed" | "waitlisted",
    waitlistNumber: ahead.get(m.eventId) ?? null,
  }));
}

/** Upcoming events of the communities this person belongs to. */
async function eventsInMyCommunities(viewer: Viewer, now: Date) {
  const m = schema.communityMemberships;
  return db
    .select({
      ...eventWhen(),
      community: schema.communities.name,
      communitySlug: schema.communities.slug,
    })
    .from(schema.events)
    .innerJoin(schema.communities, eq(schema.communities.id, schema.events.communityId))
    .innerJoin(m, and(eq(m.communityId, schema.communities.id), eq(m.userId, viewer.id), eq(m.status, "active")))
    .where(and(eq(schema.events.state, "published"), gt(schema.events.endsAt, now)))
    .orderBy(asc(schema.events.startsAt))
    .limit(4);
}
