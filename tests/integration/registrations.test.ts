import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deleteAccount, exportUserData } from "../../app/models/account-data.server";
import { createEvent, updateEvent } from "../../app/models/events.server";
import { myNextEvents } from "../../app/models/home-page.server";
import { cancelRegistration, registerForEvent, registerForSeries } from "../../app/models/registrations.server";
import { db, schema } from "../../app/utils/db.server";
import { withControls } from "../../app/utils/test-controls.server";
import type { Event } from "../../db/schema";
import { makeCommunity } from "../fixtures/communities";
import { makeEvent } from "../fixtures/events";
import { lastMailTo, makePerson } from "../fixtures/people";
import { testDatabaseKind } from "../setup/database";

const APP = "http://convene.test";
const regs = async (eventId: string) =>
  db.select().from(schema.eventRegistrations).where(eq(schema.eventRegistrations.eventId, eventId)).orderBy(asc(schema.eventRegistrations.queuePosition));
const statusOf = async (eventId: string, userId: string) =>
  (
    await db
      .select()
      .from(schema.eventRegistrations)
      .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.userId, userId)))
  )[0]?.status ?? null;

const inputOf = (e: Event) => ({
  kind: e.kind,
  title: e.title,
  summary: e.summary,
  description: e.description,
  startsAt: e.startsAt,
  endsAt: e.endsAt,
  timeZone: e.timeZone,
  capacity: e.capacity,
  registrationOpensAt: e.registrationOpensAt,
  registrationClosesAt: e.registrationClosesAt,
  joinUrl: e.joinUrl,
  venue: e.venue,
  accessProvisions: e.accessProvisions,
  accessOther: e.accessOther,
  communityId: e.communityId,
  hubId: e.hubId,
});

describe("registering", () => {
  it("confirms while seats remain, then waitlists in order; registering twice changes nothing", async () => {
    const { event } = await makeEvent({ capacity: 2 });
    const [a, b, c, d] = [await makePerson(), await makePerson(), await makePerson(), await makePerson()];
    expect(await registerForEvent(a, event.id, { appUrl: APP })).toMatchObject({ ok: true, status: "confirmed", changed: true });
    expect(await registerForEvent(a, event.id, { appUrl: APP })).toMatchObject({
      ok: true,
      status: "confirmed",
      changed: false,
      message: expect.stringMatching(/already registered/),
    });
    expect(await registerForEvent(b, event.id, { appUrl: APP })).toMatchObject({ status: "confirmed" });
    expect(await registerForEvent(c, event.id, { appUrl: APP })).toMatchObject({
      status: "waitlisted",
      message: expect.stringMatching(/waitlist \(number 1\)/),
    });
    expect(await registerForEvent(d, event.id, { appUrl: APP })).toMatchObject({ status: "waitlisted", message: expect.stringMatching(/number 2/) });
    expect((await regs(event.id)).map((r) => [r.userId, r.status])).toEqual([
      [a.id, "confirmed"],
      [b.id, "confirmed"],
      [c.id, "waitlisted"],
      [d.id, "waitlisted"],
    ]);
    const mail = await lastMailTo(a.email);
    expect(mail?.subject).toMatch(/Your place is confirmed/);
    expect(mail?.attachments[0]).toMatchObject({ filename: "invite.ics", contentType: "text/calendar; charset=utf-8; method=REQUEST" });
    expect(mail?.attachments[0].content).toContain("BEGIN:VEVENT");
    expect(mail?.attachments[0].content).toContain("secret-room");
    expect((await lastMailTo(c.email))?.subject).toMatch(/You are on the waitlist/);
    // Home tells each person their place, and where they stand in the queue.
    const next = async (who: { id: string }) => (await myNextEvents(who.id, new Date())).find((e) => e.slug === event.slug);
    expect(await next(a)).toMatchObject({ status: "confirmed" });
    expect(await next(c)).toMatchObject({ status: "waitlisted", waitlistNumber: 1 });
    expect(await next(d)).toMatchObject({ status: "waitlisted", waitlistNumber: 2 });
    await cancelRegistration(c, event.id, APP);
    expect(await next(d)).toMatchObject({ status: "waitlisted", waitlistNumber: 1 });
  });

  it("cancelling a confirmed place promotes the head of the waitlist in the same transaction and emails them", async () => {
    const { event } = await makeEvent({ capacity: 1 });
    const [a, b, c] = [await makePerson(), await makePerson(), await makePerson()];
    for (const p of [a, b, c]) await registerForEvent(p, event.id, { appUrl: APP });
    expect(await cancelRegistration(a, event.id, APP)).toMatchObject({ ok: true, status: "cancelled", changed: true });
    expect(await statusOf(event.id, b.id)).toBe("confirmed");
    expect(await statusOf(event.id, c.id)).toBe("waitlisted");
    const mail = await lastMailTo(b.email);
    expect(mail?.subject).toMatch(/A place has opened up for you/);
    expect(mail?.text).toContain("secret-room");
    // A person who cancelled may register again, at the back of the queue.
    expect(await registerForEvent(a, event.id, { appUrl: APP })).toMatchObject({ status: "waitlisted", message: expect.stringMatching(/number 2/) });
    expect((await regs(event.id)).filter((r) => r.status === "waitlisted").map((r) => r.userId)).toEqual([c.id, a.id]);
  });

  it("leaving the waitlist promotes nobody", async () => {
    const { event } = await makeEvent({ capacity: 1 });
    const [a, b, c] = [await makePerson(), await makePerson(), await makePerson()];
    for (const p of [a, b, c]) await registerForEvent(p, event.id, { appUrl: APP });
    await cancelRegistration(b, event.id, APP);
    expect(await statusOf(event.id, c.id)).toBe("waitlisted");
  });

  it("raising the capacity promotes; lowering it below the confirmed count is refused and changes nothing", async () => {
    const { event, organiser } = await makeEvent({ capacity: 2 });
    const people = [await makePerson(), await makePerson(), await makePerson(), await makePerson()];
    for (const p of people) await registerForEvent(p, event.id, { appUrl: APP });
    const lower = await updateEvent(organiser, event.slug, { ...inputOf(event), capacity: 1 }, APP, { confirmClash: true });
    expect(lower).toMatchObject({ ok: false, status: 400, fieldErrors: { capacity: expect.stringMatching(/At least 2/) } });
    expect((await db.select().from(schema.events).where(eq(schema.events.id, event.id)))[0].capacity).toBe(2);
    expect(await updateEvent(organiser, event.slug, { ...inputOf(event), capacity: 3 }, APP, { confirmClash: true })).toMatchObject({ ok: true });
    expect(await statusOf(event.id, people[2].id)).toBe("confirmed");
    expect(await statusOf(event.id, people[3].id)).toBe("waitlisted");
    expect((await lastMailTo(people[2].email))?.subject).toMatch(/A place has opened up/);
  });

  it("is refused for drafts, cancelled and past events, and outside the registration window", async () => {
    const p = await makePerson();
    // A draft is visible only to those who manage it; to them it says why.
    const draft = await makeEvent({ state: "draft" });
    expect(await registerForEvent(draft.organiser, draft.event.id, { appUrl: APP })).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringMatching(/not published/),
    });
    expect(await registerForEvent(p, draft.event.id, { appUrl: APP })).toMatchObject({ ok: false, status: 404 });
    expect(await regs(draft.event.id)).toHaveLength(0);
    const cases: [Parameters<typeof makeEvent>[0], RegExp][] = [
      [{ state: "cancelled" }, /cancelled/],
      [{ startsAt: new Date(Date.now() - 3_600_000), endsAt: new Date(Date.now() + 3_600_000) }, /already started/],
      [{ registrationOpensAt: new Date(Date.now() + 86_400_000) }, /not opened yet/],
      [{ registrationClosesAt: new Date(Date.now() - 1000) }, /closed/],
    ];
    for (const [opts, message] of cases) {
      const { event } = await makeEvent(opts);
      const r = await registerForEvent(p, event.id, { appUrl: APP });
      expect(r).toMatchObject({ ok: false, status: 409, message: expect.stringMatching(message) });
      expect(await statusOf(event.id, p.id)).toBeNull();
    }
  });

  it("keeps access needs privately, and export and deletion cover registrations", async () => {
    const { event } = await makeEvent({ capacity: 1 });
    const p = await makePerson();
    const next = await makePerson();
    await registerForEvent(p, event.id, { appUrl: APP, accessNeeds: ["live_captions", "nonsense"], accessNotes: "Please send slides beforehand" });
    await registerForEvent(next, event.id, { appUrl: APP });
    const [row] = (await regs(event.id)).filter((r) => r.userId === p.id);
    expect(row.accessNeeds).toEqual(["live_captions"]);
    expect(row.accessNotes).toBe("Please send slides beforehand");
    const exported = await exportUserData(p.id);
    expect(exported.eventRegistrations).toEqual([
      expect.objectContaining({ status: "confirmed", accessNeeds: ["live_captions"], accessNotes: "Please send slides beforehand" }),
    ]);
    expect(await deleteAccount({ userId: p.id, password: p.password })).toEqual({ ok: true, message: "Your account and your data have been deleted." });
    expect(await statusOf(event.id, p.id)).toBeNull();
    expect(await statusOf(event.id, next.id)).toBe("confirmed");
  });
});

describe("series", () => {
  it("a person registers for one occurrence, or for all; each occurrence keeps its own places", async () => {
    const organiser = await makePerson({ roles: ["organiser"] });
    const startsAt = new Date(Date.now() + 3 * 86_400_000);
    const r = await createEvent(
      organiser,
      {
        kind: "webinar",
        title: "Series under test",
        summary: "",
        description: "",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
        timeZone: "Europe/London",
        capacity: 1,
        registrationOpensAt: null,
        registrationClosesAt: null,
        joinUrl: "https://meet.example.org/s",
        venue: null,
        accessProvisions: [],
        accessOther: null,
        communityId: null,
        hubId: null,
      },
      { confirmClash: true, repeat: { every: "week", count: 3 } },
    );
    if (!r.ok) throw new Error(r.message);
    const dates = await db.select().from(schema.events).where(eq(schema.events.title, "Series under test")).orderBy(asc(schema.events.startsAt));
    await db.update(schema.events).set({ state: "published" }).where(eq(schema.events.title, "Series under test"));
    const one = await makePerson();
    await registerForEvent(one, dates[1].id, { appUrl: APP });
    const all = await makePerson();
    expect(await registerForSeries(all, dates[0].id, { appUrl: APP })).toEqual({
      ok: true,
      message: "You are registered for the series: 2 confirmed, 1 on the waitlist.",
    });
    expect(await statusOf(dates[0].id, all.id)).toBe("confirmed");
    expect(await statusOf(dates[1].id, all.id)).toBe("waitlisted");
    expect(await statusOf(dates[2].id, all.id)).toBe("confirmed");
    expect(await statusOf(dates[0].id, one.id)).toBeNull();
  });
});

describe("capacity under concurrency", () => {
  async function storm(guardOff: boolean, capacity = 20) {
    const { event } = await makeEvent({ capacity });
    const people: Awaited<ReturnType<typeof makePerson>>[] = [];
    for (let i = 0; i < 200; i++) people.push(await makePerson());
    // The in-process queue is off: the database lock alone must hold, as across processes.
    const results = await withControls({ queueOff: true, guardsOff: guardOff ? ["event-capacity"] : [] }, () =>
      Promise.all(people.map((p) => registerForEvent(p, event.id, { appUrl: APP }))),
    );
    return { event, results, rows: await regs(event.id) };
  }

  it("200 concurrent registrations for 20 seats: exactly 20 confirmed, 180 waitlisted in arrival order, no duplicates", async () => {
    const { results, rows } = await storm(false);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(20);
    expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(180);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(200);
    // Arrival order: the confirmed hold the 20 earliest queue positions, and the
    // waitlist numbers people were told run 1..180 in queue order.
    const byQueue = [...rows].sort((a, b) => a.queuePosition - b.queuePosition);
    expect(byQueue.slice(0, 20).every((r) => r.status === "confirmed")).toBe(true);
    const told = results.filter((r) => r.ok && r.status === "waitlisted").map((r) => Number((r.ok ? r.message : "").match(/number (\d+)/)![1]));
    expect([...told].sort((a, b) => a - b)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
  });

  it("cancellations racing new registrations never overbook and promote in order", async () => {
    const { event } = await makeEvent({ capacity: 20 });
    const first: Awaited<ReturnType<typeof makePerson>>[] = [];
    for (let i = 0; i < 30; i++) first.push(await makePerson());
    for (const p of first) await registerForEvent(p, event.id, { appUrl: APP });
    const newcomers: Awaited<ReturnType<typeof makePerson>>[] = [];
    for (let i = 0; i < 40; i++) newcomers.push(await makePerson());
    await withControls({ queueOff: true }, () =>
      Promise.all([
        ...first.slice(0, 10).map((p) => cancelRegistration(p, event.id, APP)),
        ...newcomers.map((p) => registerForEvent(p, event.id, { appUrl: APP })),
      ]),
    );
    const rows = await regs(event.id);
    const confirmed = rows.filter((r) => r.status === "confirmed");
    expect(confirmed).toHaveLength(20);
    // The ten who were waiting before the storm are promoted before any newcomer.
    const waitingBefore = new Set(first.slice(20).map((p) => p.id));
    for (const id of waitingBefore) expect(rows.find((r) => r.userId === id)?.status).toBe("confirmed");
  });

  // Control run: without the event lock, concurrent registrations overbook (Postgres only:
  // PGlite's single connection serialises transactions, so the race cannot show there).
  // Capacity 15, not a multiple of the pool's 10 connections: transactions run in waves
  // of ten, and with a capacity of 20 two lock-step waves land on exactly 20 without
  // overbooking (CI saw this). With 15, the second wave counts 10 and confirms ten more.
  it.runIf(testDatabaseKind() === "postgres")("control: with the guard off, the event is overbooked", async () => {
    const { rows } = await storm(true, 15);
    expect(rows.filter((r) => r.status === "confirmed").length).toBeGreaterThan(15);
  });
});

describe("a burst through the event's queue (batched)", () => {
  const waitNumber = (r: Awaited<ReturnType<typeof registerForEvent>>) => Number((r.ok ? r.message : "").match(/number (\d+)/)?.[1] ?? NaN);

  it("decides in arrival order: the first 20 to arrive are confirmed and the waitlist numbers follow arrival", async () => {
    const { event } = await makeEvent({ capacity: 20 });
    const people = [];
    for (let i = 0; i < 120; i++) people.push(await makePerson());
    const results = await Promise.all(people.map((p) => registerForEvent(p, event.id, { appUrl: APP })));
    expect(results.slice(0, 20).every((r) => r.ok && r.status === "confirmed")).toBe(true);
    expect(results.slice(20).map(waitNumber)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const rows = await regs(event.id);
    expect(rows.map((r) => r.userId)).toEqual(people.map((p) => p.id));
    // Everyone has their own email: the confirmed with the event attached, the waitlisted with their number.
    expect((await lastMailTo(people[0].email))?.attachments).toHaveLength(1);
    expect((await lastMailTo(people[119].email))?.text).toContain("number 100");
  });

  it("someone arriving twice in one burst is registered once and told so the second time", async () => {
    const { event } = await makeEvent({ capacity: 5 });
    const others = [];
    for (let i = 0; i < 4; i++) others.push(await makePerson());
    const twice = await makePerson();
    const [a, , b] = await Promise.all([twice, ...others.slice(0, 1), twice, ...others.slice(1)].map((p) => registerForEvent(p, event.id, { appUrl: APP })));
    expect(a).toMatchObject({ ok: true, status: "confirmed", changed: true });
    expect(b).toMatchObject({ ok: true, status: "confirmed", changed: false, message: "You are already registered: your place is confirmed." });
    expect((await regs(event.id)).filter((r) => r.userId === twice.id)).toHaveLength(1);
    expect((await regs(event.id)).filter((r) => r.status === "confirmed")).toHaveLength(5);
  });

  it("one registration that fails does not fail the others that arrived with it", async () => {
    const { event } = await makeEvent({ capacity: 10 });
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await makePerson());
    // Nobody by this id exists, so storing the registration breaks a foreign key.
    const ghost = { id: "no-such-person", name: "Ghost", email: "ghost@example.org" };
    const results = await Promise.allSettled([people[0], people[1], ghost, people[2], people[3]].map((p) => registerForEvent(p, event.id, { appUrl: APP })));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect((await regs(event.id)).map((r) => r.userId)).toEqual(people.map((p) => p.id));
  });

  it("a burst for a closed event is refused for everyone and stores nothing", async () => {
    const { event } = await makeEvent({ capacity: 10, registrationClosesAt: new Date(Date.now() - 60_000) });
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await makePerson());
    const results = await Promise.all(people.map((p) => registerForEvent(p, event.id, { appUrl: APP })));
    expect(results.every((r) => !r.ok && r.message === "Registration has closed.")).toBe(true);
    expect(await regs(event.id)).toHaveLength(0);
  });

  it("by the page's address: who may see the event is checked in the same transaction; outsiders are told it does not exist", async () => {
    const priv = await makeCommunity({ visibility: "private", joinPolicy: "approval" });
    const { event } = await makeEvent({ capacity: 10, communityId: priv.id });
    const member = await makePerson();
    await db.insert(schema.communityMemberships).values({ communityId: priv.id, userId: member.id, role: "member", status: "active", joinedAt: new Date() });
    const outsider = await makePerson();
    const [m, o, nobody] = await Promise.all([
      registerForEvent(member, { slug: event.slug }, { appUrl: APP }),
      registerForEvent(outsider, { slug: event.slug }, { appUrl: APP }),
      registerForEvent(outsider, { slug: "no-such-event" }, { appUrl: APP }),
    ]);
    expect(m).toMatchObject({ ok: true, status: "confirmed" });
    expect(o).toEqual({ ok: false, status: 404, message: "We could not find that event." });
    expect(nobody).toEqual({ ok: false, status: 404, message: "We could not find that event." });
    expect((await regs(event.id)).map((r) => r.userId)).toEqual([member.id]);
    const draft = await makeEvent({ state: "draft" });
    expect(await registerForEvent(member, { slug: draft.event.slug }, { appUrl: APP })).toMatchObject({ ok: false, status: 404 });
  });
});
