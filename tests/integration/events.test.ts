import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { EventForm } from "../../app/forms/events.server";
import { purgeOldAccessNeeds, sendEventReminders } from "../../app/jobs/events.server";
import {
  cancelEvent,
  createEvent,
  duplicateEvent,
  listEvents,
  markAttendance,
  messageRegistrants,
  publishEvent,
  updateEvent,
} from "../../app/models/events.server";
import { getHubPage } from "../../app/models/hub-page.server";
import { registerForEvent } from "../../app/models/registrations.server";
import { db, schema } from "../../app/utils/db.server";
import { parseForm } from "../../app/utils/forms.server";
import { BUSY_MESSAGE } from "../../app/utils/outcome";
import { makeCommunity, makeOrganisation } from "../fixtures/communities";
import { eventInput, makeEvent } from "../fixtures/events";
import { makeHub } from "../fixtures/hubs";
import { lastMailTo, makePerson } from "../fixtures/people";
import { testDatabaseKind } from "../setup/database";

const APP = "http://convene.test";
const DAY = 86_400_000;

const input = eventInput;

const form = (fields: Record<string, string | string[]>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x);
  return parseForm(fd, EventForm);
};

describe("the event form", () => {
  const good = {
    kind: "webinar",
    title: "Budget briefing",
    timeZone: "Europe/London",
    startDate: "2027-03-10",
    startTime: "10:00",
    endTime: "11:00",
    capacity: "50",
  };

  it("reads times in the event's zone and stores UTC", async () => {
    const r = await form({ ...good, startDate: "2027-07-01", timeZone: "Europe/London" });
    expect(r.ok && r.data.input.startsAt.toISOString()).toBe("2027-07-01T09:00:00.000Z");
    const ny = await form({ ...good, startDate: "2027-01-15", timeZone: "America/New_York" });
    expect(ny.ok && ny.data.input.startsAt.toISOString()).toBe("2027-01-15T15:00:00.000Z");
  });

  it("gives a clear message per field for bad input", async () => {
    const r = await form({ ...good, title: "x".repeat(10_000), startTime: "11:00", endTime: "10:00", capacity: "-1", timeZone: "Mars/Olympus_Mons" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.title).toBe("Use at most 200 characters");
    expect(r.errors.capacity).toMatch(/whole number of at least 1/);
    expect(r.errors.timeZone).toMatch(/Choose a time zone/);
    const r2 = await form({ ...good, startTime: "11:00", endTime: "10:00" });
    expect(r2.ok ? null : r2.errors.endTime).toBe("The end must be after the start");
    const r3 = await form({ ...good, startDate: "2027-02-30" });
    expect(r3.ok ? null : r3.errors.startDate).toMatch(/does not exist/);
  });
});

describe("creating and running events", () => {
  it("organisers create; members cannot; facilitators only for their own community", async () => {
    const organiser = await makePerson({ roles: ["organiser"] });
    expect(await createEvent(organiser, input(), { confirmClash: false })).toMatchObject({ ok: true });
    const member = await makePerson();
    expect(await createEvent(member, input({ title: "Nope" }), { confirmClash: false })).toMatchObject({ ok: false, status: 403 });
    const c = await makeCommunity();
    const other = await makeCommunity();
    expect(await createEvent(c.facilitator, input({ communityId: c.id }), { confirmClash: false })).toMatchObject({ ok: true });
    expect(await createEvent(c.facilitator, input({ communityId: other.id }), { confirmClash: false })).toMatchObject({ ok: false, status: 403 });
    expect(await db.select().from(schema.events).where(eq(schema.events.title, "Nope"))).toHaveLength(0);
  });

  it("warns about a clash in the same community, and creates it when confirmed", async () => {
    const c = await makeCommunity();
    const organiser = await makePerson({ roles: ["organiser"] });
    const first = input({ communityId: c.id, title: "First" });
    await createEvent(organiser, first, { confirmClash: false });
    const overlapping = input({
      communityId: c.id,
      title: "Second",
      startsAt: new Date(first.startsAt.getTime() + 1_800_000),
      endsAt: new Date(first.endsAt.getTime() + 1_800_000),
    });
    expect(await createEvent(organiser, overlapping, { confirmClash: false })).toMatchObject({
      ok: false,
      status: 409,
      clashes: [expect.objectContaining({ title: "First" })],
    });
    expect(await createEvent(organiser, overlapping, { confirmClash: true })).toMatchObject({ ok: true });
    // No clash outside the community.
    expect(await createEvent(organiser, input({ title: "Elsewhere", startsAt: first.startsAt, endsAt: first.endsAt }), { confirmClash: false })).toMatchObject({
      ok: true,
    });
  });

  it("a series makes one row per occurrence, keeping the wall-clock time across the clocks changing", async () => {
    const organiser = await makePerson({ roles: ["organiser"] });
    const startsAt = new Date("2027-03-17T10:00:00Z"); // 10:00 GMT; the clocks go forward on 28 March
    const r = await createEvent(organiser, input({ title: "Methods series", startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000) }), {
      confirmClash: true,
      repeat: { every: "week", count: 3 },
    });
    expect(r.ok).toBe(true);
    const rows = await db.select().from(schema.events).where(eq(schema.events.title, "Methods series"));
    expect(rows.map((e) => e.startsAt.toISOString()).sort()).toEqual(["2027-03-17T10:00:00.000Z", "2027-03-24T10:00:00.000Z", "2027-03-31T09:00:00.000Z"]);
    expect(new Set(rows.map((e) => e.seriesId)).size).toBe(1);
    const [series] = await db.select().from(schema.eventSeries).where(eq(schema.eventSeries.id, rows[0].seriesId!));
    expect(series.rrule).toBe("FREQ=WEEKLY;INTERVAL=1;COUNT=3");
  });

  it("publishing needs a joining link for a webinar", async () => {
    const organiser = await makePerson({ roles: ["organiser"] });
    const r = await createEvent(organiser, input({ joinUrl: null, title: "No link yet" }), { confirmClash: true });
    if (!r.ok) throw new Error(r.message);
    expect(await publishEvent(organiser, r.slug!)).toMatchObject({ ok: false, status: 400 });
    // A draft does not exist for anyone but those who run it.
    expect(await publishEvent(await makePerson(), r.slug!)).toMatchObject({ ok: false, status: 404 });
  });

  it("a change of time or link bumps SEQUENCE and emails registrants; a title tweak does not email", async () => {
    const { event, organiser } = await makeEvent();
    const p = await makePerson();
    await registerForEvent(p, event.id, { appUrl: APP });
    const base = { ...input(), title: event.title, startsAt: event.startsAt, endsAt: event.endsAt, joinUrl: event.joinUrl, capacity: event.capacity };
    await updateEvent(organiser, event.slug, { ...base, summary: "Better summary" }, APP, { confirmClash: true });
    expect((await lastMailTo(p.email))?.subject).toMatch(/confirmed/);
    await updateEvent(
      organiser,
      event.slug,
      { ...base, startsAt: new Date(event.startsAt.getTime() + 3_600_000), endsAt: new Date(event.endsAt.getTime() + 3_600_000) },
      APP,
      { confirmClash: true },
    );
    const mail = await lastMailTo(p.email);
    expect(mail?.subject).toBe(`Changed: ${event.title}`);
    expect(mail?.text).toContain("the time");
    expect((await db.select().from(schema.events).where(eq(schema.events.id, event.id)))[0].sequence).toBe(1);
    expect(await updateEvent(p, event.slug, base, APP, { confirmClash: true })).toMatchObject({ ok: false, status: 403 });
  });

  it("cancelling emails everyone registered; organisers message confirmed registrants; duplicate makes a draft", async () => {
    const { event, organiser } = await makeEvent({ capacity: 1 });
    const [a, b] = [await makePerson(), await makePerson()];
    await registerForEvent(a, event.id, { appUrl: APP });
    await registerForEvent(b, event.id, { appUrl: APP });
    expect(await messageRegistrants(organiser, event.slug, "Slides", "Here are the slides.", APP)).toMatchObject({
      ok: true,
      message: expect.stringMatching(/1 confirmed registrant/),
    });
    expect((await lastMailTo(a.email))?.subject).toBe(`Slides (${event.title})`);
    expect((await lastMailTo(b.email))?.subject).not.toMatch(/Slides/);
    const dup = await duplicateEvent(organiser, event.slug);
    expect(dup).toMatchObject({ ok: true });
    const [copy] = await db
      .select()
      .from(schema.events)
      .where(eq(schema.events.slug, (dup as { slug: string }).slug));
    expect(copy).toMatchObject({ state: "draft", title: event.title });
    expect(await cancelEvent(organiser, event.slug, APP)).toMatchObject({ ok: true });
    expect((await lastMailTo(a.email))?.subject).toBe(`Cancelled: ${event.title}`);
    expect((await lastMailTo(b.email))?.subject).toBe(`Cancelled: ${event.title}`);
    expect(await registerForEvent(await makePerson(), event.id, { appUrl: APP })).toMatchObject({ ok: false, status: 409 });
  });
});

describe("scheduled jobs", () => {
  it("sends each reminder exactly once, to confirmed registrants only, however often the job runs", async () => {
    const { event } = await makeEvent({ capacity: 1, startsAt: new Date(Date.now() + 20 * 3_600_000) });
    const [a, b] = [await makePerson(), await makePerson()];
    await registerForEvent(a, event.id, { appUrl: APP });
    await registerForEvent(b, event.id, { appUrl: APP });
    const now = new Date();
    await Promise.all([sendEventReminders(now, APP), sendEventReminders(now, APP), sendEventReminders(now, APP)]);
    await sendEventReminders(new Date(now.getTime() + 60_000), APP);
    const toA = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, a.email));
    expect(toA.filter((m) => m.subject.startsWith("Coming up"))).toHaveLength(1);
    const toB = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, b.email));
    expect(toB.filter((m) => m.subject.startsWith("Coming up"))).toHaveLength(0);
    // Within the last hour: the 1 h reminder, once.
    const later = new Date(event.startsAt.getTime() - 30 * 60_000);
    await sendEventReminders(later, APP);
    await sendEventReminders(later, APP);
    const again = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, a.email));
    expect(again.filter((m) => m.subject.startsWith("Starting soon"))).toHaveLength(1);
  });

  it("deletes access needs 30 days after the event, not before", async () => {
    const old = await makeEvent({ capacity: null });
    const recent = await makeEvent({ capacity: null });
    const p = await makePerson();
    await registerForEvent(p, old.event.id, { appUrl: APP, accessNeeds: ["bsl_interpreter"], accessNotes: "Private note" });
    await registerForEvent(p, recent.event.id, { appUrl: APP, accessNeeds: ["live_captions"] });
    await db
      .update(schema.events)
      .set({ startsAt: new Date(Date.now() - 32 * DAY), endsAt: new Date(Date.now() - 31 * DAY) })
      .where(eq(schema.events.id, old.event.id));
    await db
      .update(schema.events)
      .set({ startsAt: new Date(Date.now() - 11 * DAY), endsAt: new Date(Date.now() - 10 * DAY) })
      .where(eq(schema.events.id, recent.event.id));
    await purgeOldAccessNeeds(new Date());
    const rows = await db.select().from(schema.eventRegistrations).where(eq(schema.eventRegistrations.userId, p.id));
    expect(rows.find((r) => r.eventId === old.event.id)).toMatchObject({ accessNeeds: [], accessNotes: null });
    expect(rows.find((r) => r.eventId === recent.event.id)).toMatchObject({ accessNeeds: ["live_captions"] });
  });
});

describe("hubs", () => {
  it("organisations whose people hold places at a hub's events take part in the hub", async () => {
    const hub = await makeHub();
    const { event } = await makeEvent({ hubId: hub.id });
    const p = await makePerson();
    const org = await makeOrganisation({ name: "Attending Org", admin: p });
    const taking = async () => (await getHubPage(hub.slug, {}, null))?.organisations.map((o) => o.slug);
    expect(await taking()).not.toContain(org.slug);
    await registerForEvent(p, event.id, { appUrl: APP });
    expect(await taking()).toContain(org.slug);
  });
});

describe("listing", () => {
  it("lists published events by date, leaves out drafts and private communities' events, paginates", async () => {
    const priv = await makeCommunity({ visibility: "private", joinPolicy: "approval" });
    const soon = new Date(Date.now() + 2 * DAY);
    const { event: pub } = await makeEvent({ startsAt: soon });
    const { event: draft } = await makeEvent({ startsAt: soon, state: "draft" });
    const { event: hidden } = await makeEvent({ startsAt: soon, communityId: priv.id });
    const all = [];
    for (let page = 1; page < 50; page++) {
      const r = await listEvents({ page }, null);
      all.push(...r.events.map((e) => e.event.id));
      expect(r.events.length).toBeLessThanOrEqual(20);
      if (!r.hasMore) break;
    }
    expect(all).toContain(pub.id);
    expect(all).not.toContain(draft.id);
    expect(all).not.toContain(hidden.id);
  });
});

describe("publishing and cancelling at the same moment", () => {
  it("a cancellation is never followed by a re-publish: the event ends cancelled whenever the cancellation succeeded", async () => {
    for (let i = 0; i < 15; i++) {
      const { event, organiser } = await makeEvent({ state: "draft" });
      const [published, cancelled] = await Promise.all([publishEvent(organiser, event.slug), cancelEvent(organiser, event.slug, "http://convene.test")]);
      const [row] = await db.select().from(schema.events).where(eq(schema.events.id, event.id));
      expect(cancelled.ok, "an organiser may cancel a draft or a published event").toBe(true);
      expect(row.state).toBe("cancelled");
      if (!published.ok) expect(published.message).toMatch(/cancelled event cannot be published|no longer a draft/);
    }
  });
});

describe("a lock held too long", () => {
  // Postgres only: PGlite has one connection, so nothing can hold a lock another waits for.
  it.runIf(testDatabaseKind() === "postgres")("answers 'busy, try again' (503) instead of an error or a hung request, and changes nothing", async () => {
    const { event, organiser } = await makeEvent();
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db.transaction(async (tx) => {
      await tx.select().from(schema.events).where(eq(schema.events.id, event.id)).for("update");
      locked();
      await held;
    });
    await isLocked;
    const started = Date.now();
    const result = await cancelEvent(organiser, event.slug, "http://convene.test");
    release();
    await holder;
    expect(result).toEqual({ ok: false, status: 503, message: BUSY_MESSAGE });
    expect(Date.now() - started).toBeLessThan(20_000);
    const [row] = await db.select().from(schema.events).where(eq(schema.events.id, event.id));
    expect(row.state).toBe("published");
  });
});

describe("attendance", () => {
  it("marks the ticked confirmed places attended and the rest not; other events' and waitlisted places are untouched", async () => {
    const { event, organiser } = await makeEvent({ capacity: 2 });
    const { event: other } = await makeEvent();
    const [a, b, c, d] = [await makePerson(), await makePerson(), await makePerson(), await makePerson()];
    for (const p of [a, b, c]) await registerForEvent(p, event.id, { appUrl: "http://convene.test" });
    await registerForEvent(d, other.id, { appUrl: "http://convene.test" });
    const regs = await db.select().from(schema.eventRegistrations);
    const idOf = (p: { id: string }, e: { id: string }) => regs.find((r) => r.userId === p.id && r.eventId === e.id)!.id;
    const attended = async () =>
      Object.fromEntries(
        (await db.select().from(schema.eventRegistrations))
          .filter((r) => ([a.id, b.id, c.id, d.id] as string[]).includes(r.userId))
          .map((r) => [r.userId, r.attended]),
      );

    expect(await markAttendance(organiser, event.slug, [idOf(a, event), idOf(d, other), idOf(c, event)])).toMatchObject({ ok: true });
    expect(await attended()).toEqual({ [a.id]: true, [b.id]: false, [c.id]: null, [d.id]: null });
    expect(await markAttendance(organiser, event.slug, [])).toMatchObject({ ok: true });
    expect(await attended()).toEqual({ [a.id]: false, [b.id]: false, [c.id]: null, [d.id]: null });
    expect(await markAttendance(a, event.slug, [idOf(a, event)])).toMatchObject({ ok: false, status: 403 });
    expect(await attended()).toMatchObject({ [a.id]: false });
  });
});
