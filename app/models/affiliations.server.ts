import { and, asc, eq, inArray } from "drizzle-orm";
import { db, schema } from "../utils/db.server";

// Which organisations people belong to: read by member lists, attendee lists and the
// directory alike (kept apart from the organisations model so that events and communities
// can read it without importing the directory's engagement scoring, which reads them).

/** The organisations each of these people actively belongs to, by person id (for member and attendee lists). */
export async function organisationsOfPeople(userIds: string[]): Promise<Map<string, { name: string; slug: string }[]>> {
  const byPerson = new Map<string, { name: string; slug: string }[]>();
  if (!userIds.length) return byPerson;
  const rows = await db
    .select({ userId: schema.organisationMemberships.userId, name: schema.organisations.name, slug: schema.organisations.slug })
    .from(schema.organisationMemberships)
    .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationMemberships.organisationId))
    .where(and(inArray(schema.organisationMemberships.userId, userIds), eq(schema.organisationMemberships.status, "active")))
    .orderBy(asc(schema.organisations.name));
  for (const r of rows) byPerson.set(r.userId, [...(byPerson.get(r.userId) ?? []), { name: r.name, slug: r.slug }]);
  return byPerson;
}
