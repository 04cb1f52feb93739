import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { searchDirectory } from "../../app/models/directory.server";
import { paymentTransparency } from "../../app/models/payment-claims.server";
import { logIn } from "../../app/models/users.server";
import { db, dbHandle, schema } from "../../app/utils/db.server";
import { unsealText } from "../../app/utils/sealed.server";
import { CLAIM_STATUSES } from "../../db/schema";
import { DEMO_ADMIN, seedIfNeeded } from "../../db/seed";

describe("demo data", () => {
  it("seeds once: organisations, people, an admin, communities with requests, signatures", async () => {
    expect(await seedIfNeeded(dbHandle(), { force: true })).toBe(true);
    expect(await seedIfNeeded(dbHandle(), { force: true })).toBe(false);
    const [{ n: people }] = await db.select({ n: count() }).from(schema.users);
    expect(people).toBe(30);
    expect(await logIn({ email: DEMO_ADMIN.email, password: DEMO_ADMIN.password, ip: "127.0.0.50", userAgent: "t" })).toMatchObject({ ok: true });

    const orgs = await searchDirectory({});
    expect(orgs).toHaveLength(12);
    expect(new Set(orgs.map((o) => o.type)).size).toBeGreaterThanOrEqual(8);
    for (const o of orgs) {
      expect(o.about.length, o.name).toBeGreaterThan(40);
      expect(o.regions.length, o.name).toBeGreaterThan(0);
      expect(o.focusAreas.length, o.name).toBeGreaterThan(0);
      expect(o.website, o.name).toMatch(/^https:\/\//);
    }
    expect(orgs.filter((o) => o.level === "member").length).toBeGreaterThan(0);
    expect(orgs.filter((o) => o.level === "contributor").length).toBeGreaterThan(3);
    expect(orgs.filter((o) => o.level === "anchor").length).toBe(1);

    const communities = await db.select().from(schema.communities);
    expect(communities.map((c) => [c.name, c.joinPolicy, c.visibility]).sort()).toEqual(
      [
        ["Advice sector data", "approval", "public"],
        ["Lived experience panels", "approval", "private"],
        ["Local food insecurity data", "open", "public"],
        ["Micro-simulation of poverty", "open", "public"],
      ].sort(),
    );
    const pending = await db.select().from(schema.communityMemberships).where(eq(schema.communityMemberships.status, "pending"));
    expect(pending.length).toBeGreaterThanOrEqual(2);
    const facilitators = await db.select().from(schema.communityMemberships).where(eq(schema.communityMemberships.role, "facilitator"));
    expect(new Set(facilitators.map((f) => f.communityId)).size).toBe(4);

    const hubs = await db.select().from(schema.hubs);
    expect(hubs).toHaveLength(3);
    const tasks = await db.select().from(schema.tasks);
    expect(tasks.length).toBeGreaterThanOrEqual(15);
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(["open", "claimed", "in_progress", "in_review", "published", "dropped"]));
    expect(tasks.map((t) => t.title)).toContain("Distributional impact of changes to the two-child limit");

    const events = await db.select().from(schema.events);
    expect(events.length).toBeGreaterThanOrEqual(10);
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(["webinar", "workshop", "meeting"]));
    expect(events.some((e) => e.seriesId)).toBe(true);
    expect(events.some((e) => e.venue?.includes("Leeds"))).toBe(true);
    const waitlisted = await db.select().from(schema.eventRegistrations).where(eq(schema.eventRegistrations.status, "waitlisted"));
    expect(waitlisted.length).toBeGreaterThan(0);

    // Push updates: people follow what they belong to; unread notifications; choices of
    // every cadence; a weekly summary waiting; one past event with feedback.
    const follows = await db.select().from(schema.follows);
    expect(new Set(follows.map((f) => f.subjectKind))).toEqual(new Set(["community", "organisation", "hub", "series"]));
    const [aisha] = await db.select().from(schema.users).where(eq(schema.users.email, "aisha.rahman@example.org"));
    const notes = await db.select().from(schema.notifications).where(eq(schema.notifications.userId, aisha.id));
    expect(notes.filter((n) => !n.readAt).length).toBeGreaterThanOrEqual(2);
    const prefs = await db.select().from(schema.emailPreferences);
    expect(new Set(prefs.map((p) => p.cadence))).toEqual(new Set(["immediately", "daily", "weekly", "never"]));
    const waiting = await db.select().from(schema.notifications);
    expect(waiting.some((n) => !n.mailedAt && !n.readAt && n.createdAt < new Date(Date.now() - 7 * 86_400_000))).toBe(true);
    const feedback = await db.select().from(schema.eventFeedback);
    expect(feedback.length).toBe(3);
    expect(feedback.filter((f) => f.userId === null)).toHaveLength(2);

    // Payment claims in every state; Aisha's waits with a receipt and sealed bank details that open.
    const claims = await db.select().from(schema.paymentClaims);
    expect(new Set(claims.map((c) => c.status))).toEqual(new Set(CLAIM_STATUSES));
    const aishas = claims.find((c) => c.userId === aisha.id)!;
    expect(aishas).toMatchObject({ status: "submitted", bankLast2: expect.stringMatching(/^\d\d$/) });
    expect(JSON.parse(unsealText(aishas.bankSealed!, { table: "payment_claims", column: "bank_sealed", rowId: aishas.id }))).toMatchObject({
      sortCode: "401276",
    });
    expect(await db.$count(schema.paymentReceipts, eq(schema.paymentReceipts.claimId, aishas.id))).toBe(1);
    const quarters = (await paymentTransparency()).quarters;
    expect(quarters.some((q) => Object.values(q.cells).some((c) => c.state === "shown"))).toBe(true);
    expect(quarters.some((q) => Object.values(q.cells).some((c) => c.state === "hidden"))).toBe(true);
  });
});
