import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Hub } from "../../db/schema";
import { ADMINS_ONLY, hasRole, isAdmin, rolesOf } from "../auth/permissions.server";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, prepared, schema } from "../utils/db.server";
import { isUniqueViolation } from "../utils/db-errors.server";
import type { Outcome } from "../utils/outcome";
import { sharedRead } from "../utils/request-memo.server";
import { type HubStanding, hubCapabilities, NO_HUB_STANDING } from "./hub-capabilities";
import { hubTexts } from "./rendered-text.server";

// Moment hubs: a political moment, its stewards, and the phases of work around it.

export type HubResult = Outcome;

const DAY = 86_400_000;
// A hub is "active" from eight weeks before its moment until four weeks after: when the
// research is being divided and done. Before that it is upcoming, after that past.
export const ACTIVE_BEFORE_DAYS = 56;
export const ACTIVE_AFTER_DAYS = 28;

export type HubStage = "upcoming" | "active" | "past";
export function hubStage(momentAt: Date, now = new Date()): HubStage {
  const diff = momentAt.getTime() - now.getTime();
  if (diff > ACTIVE_BEFORE_DAYS * DAY) return "upcoming";
  if (diff < -ACTIVE_AFTER_DAYS * DAY) return "past";
  return "active";
}

export type Phase = "before" | "on_the_day" | "after";
export const PHASE_LABELS: Record<Phase, string> = { before: "Before the moment", on_the_day: "On the day", after: "After the moment" };

/** A calendar date in UK time (YYYY-MM-DD). */
// Made once: building a DateTimeFormat costs far more than formatting with one.
const UK_ISO_DATE = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" });
export const ukDate = (d: Date) => UK_ISO_DATE.format(d);

/** Which phase a date falls in, relative to the moment's day (UK time). */
export function phaseOf(date: string, momentAt: Date): Phase {
  const moment = ukDate(momentAt);
  return date < moment ? "before" : date === moment ? "on_the_day" : "after";
}

export async function findHub(slug: string, tx: DbOrTx = db): Promise<Hub | null> {
  if (tx === db) return hubBySlug(slug);
  const [h] = await tx.select().from(schema.hubs).where(eq(schema.hubs.slug, slug)).limit(1);
  return h ?? null;
}

const hubBySlug = sharedRead("hub.bySlug", async (slug: string): Promise<Hub | null> => {
  const bySlug = prepared("convene_hub_by_slug", (d) =>
    d
      .select()
      .from(schema.hubs)
      .where(eq(schema.hubs.slug, sql.placeholder("slug")))
      .limit(1)
      .prepare("convene_hub_by_slug"),
  );
  const [h] = await bySlug.execute({ slug });
  return h ?? null;
});

/** Stewards of the hub and Convene's admins curate it. */
export async function isSteward(hubId: string, userId: string | null | undefined, tx: DbOrTx = db): Promise<boolean> {
  if (!userId) return false;
  return tx === db ? stewardOrAdmin(hubId, userId) : readStewardOrAdmin(hubId, userId, tx);
}

async function readStewardOrAdmin(hubId: string, userId: string, tx: DbOrTx = db) {
  const [row] = await tx
    .select({ userId: schema.hubStewards.userId })
    .from(schema.hubStewards)
    .where(and(eq(schema.hubStewards.hubId, hubId), eq(schema.hubStewards.userId, userId)));
  return !!row || hasRole({ roles: await rolesOf(userId, tx) }, "admin");
}

/** Shared between requests while the data is unchanged (sharedRead). */
const stewardOrAdmin = sharedRead("hub.steward", (hubId: string, userId: string) => readStewardOrAdmin(hubId, userId));

/** Where this person stands towards the hub, and so what they may do there. */
export async function standingInHub(hubId: string, actor: { id: string; emailVerifiedAt: Date | null } | null, tx: DbOrTx = db) {
  const standing: HubStanding = actor
    ? { signedIn: true, verified: !!actor.emailVerifiedAt, isSteward: await isSteward(hubId, actor.id, tx) }
    : NO_HUB_STANDING;
  return { standing, can: hubCapabilities(standing) };
}

export async function listHubs(now = new Date()) {
  const hubs = await db.select().from(schema.hubs).orderBy(asc(schema.hubs.momentAt));
  const counts = await db
    .select({ hubId: schema.tasks.hubId, status: schema.tasks.status, n: sql<number>`count(*)::int` })
    .from(schema.tasks)
    .where(isNull(schema.tasks.mergedIntoId))
    .groupBy(schema.tasks.hubId, schema.tasks.status);
  return hubs.map((h) => {
    const mine = counts.filter((c) => c.hubId === h.id);
    return {
      ...h,
      stage: hubStage(h.momentAt, now),
      taskCount: mine.reduce((a, c) => a + c.n, 0),
      openCount: mine.find((c) => c.status === "open")?.n ?? 0,
    };
  });
}

async function hubStewardsRead(hubId: string) {
  return db
    .select({ id: schema.users.id, name: schema.users.name })
    .from(schema.hubStewards)
    .innerJoin(schema.users, eq(schema.users.id, schema.hubStewards.userId))
    .where(eq(schema.hubStewards.hubId, hubId))
    .orderBy(asc(schema.users.name));
}
/** Shared between requests while the data is unchanged (sharedRead). */
export const hubStewards = sharedRead("hub.stewards", hubStewardsRead);

// ---------------------------------------------------------------- admin

export type HubInput = { title: string; momentName: string; momentAt: Date; summary: string; description: string };

export async function createHub(actor: { id: string }, slug: string, input: HubInput): Promise<HubResult> {
  if (!(await isAdmin(actor.id))) return ADMINS_ONLY;
  if (await findHub(slug))
    return { ok: false, status: 409, message: "That web address is taken.", fieldErrors: { slug: "Another hub already uses this web address" } };
  try {
    await db.insert(schema.hubs).values({ id: newId(), slug, ...input, ...hubTexts(input.description), createdBy: actor.id });
  } catch (err) {
    if (isUniqueViolation(err))
      return { ok: false, status: 409, message: "That web address is taken.", fieldErrors: { slug: "Another hub already uses this web address" } };
    throw err;
  }
  return { ok: true, message: `${input.title} has been created. Now appoint its stewards.` };
}

export async function updateHub(actor: { id: string }, slug: string, input: HubInput): Promise<HubResult> {
  if (!(await isAdmin(actor.id))) return ADMINS_ONLY;
  const updated = await db
    .update(schema.hubs)
    .set({ ...input, ...hubTexts(input.description), updatedAt: new Date() })
    .where(eq(schema.hubs.slug, slug))
    .returning({ id: schema.hubs.id });
  return updated.length ? { ok: true, message: `${input.title} has been saved.` } : { ok: false, status: 404, message: "We could not find that hub." };
}

export async function setSteward(actor: { id: string }, slug: string, userId: string, steward: boolean): Promise<HubResult> {
  if (!(await isAdmin(actor.id))) return ADMINS_ONLY;
  const hub = await findHub(slug);
  if (!hub) return { ok: false, status: 404, message: "We could not find that hub." };
  const [person] = await db.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, userId));
  if (!person) return { ok: false, status: 404, message: "That person no longer exists." };
  if (steward) await db.insert(schema.hubStewards).values({ hubId: hub.id, userId }).onConflictDoNothing();
  else await db.delete(schema.hubStewards).where(and(eq(schema.hubStewards.hubId, hub.id), eq(schema.hubStewards.userId, userId)));
  return { ok: true, message: steward ? `${person.name} is now a steward of ${hub.title}.` : `${person.name} is no longer a steward of ${hub.title}.` };
}

/** Organisations taking part in a hub: those leading or helping with its tasks. */
/** Organisations whose people hold places at the hub's published events (they take part too). */
async function organisationsAtHubEventsRead(hubId: string) {
  // Prepared once per process (every hub page asks; planning cost more than running it).
  const statement = prepared("convene_orgs_at_hub_events", (d) =>
    d
      .selectDistinct({ id: schema.organisations.id, name: schema.organisations.name, slug: schema.organisations.slug })
      .from(schema.eventRegistrations)
      .innerJoin(schema.events, eq(schema.events.id, schema.eventRegistrations.eventId))
      .innerJoin(
        schema.organisationMemberships,
        and(eq(schema.organisationMemberships.userId, schema.eventRegistrations.userId), eq(schema.organisationMemberships.status, "active")),
      )
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationMemberships.organisationId))
      .where(and(eq(schema.events.hubId, sql.placeholder("hubId")), eq(schema.events.state, "published"), eq(schema.eventRegistrations.status, "confirmed")))
      .prepare("convene_orgs_at_hub_events"),
  );
  return statement.execute({ hubId });
}
/** Shared between requests while the data is unchanged (sharedRead). */
export const organisationsAtHubEvents = sharedRead("hub.organisations", organisationsAtHubEventsRead);

export async function hubsByIds(ids: string[]) {
  if (!ids.length) return [];
  return db.select().from(schema.hubs).where(inArray(schema.hubs.id, ids));
}
