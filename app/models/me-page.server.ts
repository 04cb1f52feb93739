import { and, asc, eq, sql } from "drizzle-orm";
import type { Viewer } from "../auth/permissions.server";
import { db, schema } from "../utils/db.server";
import { eventWhen, myNextEvents } from "./home-page.server";

// A person's own page (/me), in one call: their events to come and past, their communities
// and organisations (their tasks and sessions come from their own modules).

/** A person's own page (/me): their events to come and past, communities and organisations. */
export async function getMyPage(viewer: Viewer, now = new Date()) {
  const r = schema.eventRegistrations;
  const cm = schema.communityMemberships;
  const om = schema.organisationMemberships;
  const [next, past, communities, organisations] = await Promise.all([
    myNextEvents(viewer.id, now),
    db
      .select({
        ...eventWhen(),
        hasMaterials: sql<boolean>`(${schema.events.materials} <> '' or ${schema.events.recordingUrl} is not null)`,
      })
      .from(r)
      .innerJoin(schema.events, eq(schema.events.id, r.eventId))
      .where(and(eq(r.userId, viewer.id), eq(r.status, "confirmed"), eq(schema.events.state, "published"), sql`${schema.events.endsAt} <= ${now}`))
      .orderBy(sql`${schema.events.startsAt} desc`)
      .limit(10),
    db
      .select({ slug: schema.communities.slug, name: schema.communities.name, status: cm.status, role: cm.role })
      .from(cm)
      .innerJoin(schema.communities, eq(schema.communities.id, cm.communityId))
      .where(eq(cm.userId, viewer.id))
      .orderBy(asc(schema.communities.name)),
    db
      .select({ slug: schema.organisations.slug, name: schema.organisations.name, status: om.status, role: om.role })
      .from(om)
      .innerJoin(schema.organisations, eq(schema.organisations.id, om.organisationId))
      .where(eq(om.userId, viewer.id))
      .orderBy(asc(schema.organisations.name)),
  ]);
  return { next, past, communities, organisations };
}
