import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { communityFeed, feedOwner, hubFeed, personalFeed, publicFeed, regenerateFeedToken, revokeFeedToken } from "../../app/calendar/feeds.server";
import { eventsToIcs } from "../../app/calendar/ics.server";
import { deleteAccount } from "../../app/models/account-data.server";
import { cancelEvent, createEvent, type EventInput, publishEvent, updateEvent } from "../../app/models/events.server";
import { registerForEvent } from "../../app/models/registrations.server";
import { db, schema } from "../../app/utils/db.server";
import { makeCommunity } from "../fixtures/communities";
import { eventInput, makeEvent } from "../fixtures/events";
import { makeHub, makeTask } from "../fixtures/hubs";
import { parseCalendar } from "../fixtures/ical";
import { makePerson } from "../fixtures/people";

const APP = "http://convene.test";
const DAY = 86_400_000;

const build = async (f: Promise<{ build: () => Promise<string> }>) => (await f).build();

const input = (over: Partial<EventInput>) =>
  eventInput({
    title: "Poverty statistics clinic",
    summary: "Bring **your** questions about HBAI.",
    capacity: 50,
    joinUrl: "https://meet.example.org/clinic-room",
    ...over,
  });

async function organiser() {
  return makePerson({ roles: ["organiser"] });
}

/** A weekly series of four across the clock change of 28 March 2027, all published. */
async function weeklySeries(actor: { id: string }, over: Partial<EventInput> = {}) {
  const created = await createEvent(
    actor,
    input({ title: "Weekly methods session", startsAt: new Date("2027-03-16T18:00:00Z"), endsAt: new Date("2027-03-16T19:00:00Z"), ...over }),
    { confirmClash: true, repeat: { every: "week", count: 4 } },
  );
  if (!created.ok) throw new Error(created.message);
  const first = created.slug!;
  const slugs = [first, `${first}-2`, `${first}-3`, `${first}-4`];
  for (const s of slugs) expect((await publishEvent(actor, s)).ok).toBe(true);
  return slugs;
}

async function published(actor: { id: string }, over: Partial<EventInput>): Promise<string> {
  const created = await createEvent(actor, input(over), { confirmClash: true });
  if (!created.ok) throw new Error(created.message);
  expect((await publishEvent(actor, created.slug!)).ok).toBe(true);
  return created.slug!;
}

const eventBySlug = async (slug: string) => (await db.select().from(schema.events).where(eq(schema.events.slug, slug)))[0];

describe("times in the event's zone", () => {
  it("18:00 London is 17:00 UTC in July and 18:00 UTC in January, with a VTIMEZONE", async () => {
    const { event: july } = await makeEvent({ startsAt: new Date("2027-07-15T17:00:00Z"), endsAt: new Date("2027-07-15T18:30:00Z") });
    const { event: january } = await makeEvent({ startsAt: new Date("2027-01-14T18:00:00Z"), endsAt: new Date("2027-01-14T19:30:00Z") });
    const text = eventsToIcs([july, january], { appUrl: APP, name: "t", includeJoinUrl: false });
    expect(text).toContain("DTSTART;TZID=Europe/London:20270715T180000");
    expect(text).toContain("DTSTART;TZID=Europe/London:20270114T180000");
    expect(text).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/London/);
    const cal = parseCalendar(text);
    const starts = cal.occurrences().map((o) => o.start.toISOString());
    expect(starts).toEqual(["2027-01-14T18:00:00.000Z", "2027-07-15T17:00:00.000Z"]);
    // DTSTAMP and LAST-MODIFIED are UTC, as RFC 5545 requires.
    expect(text).toMatch(/DTSTAMP:\d{8}T\d{6}Z/);
    expect(text).toMatch(/LAST-MODIFIED:\d{8}T\d{6}Z/);
  });

  it("an event in another zone carries that zone's VTIMEZONE too", async () => {
    const { event: london } = await makeEvent({ startsAt: new Date("2027-05-01T14:00:00Z") });
    const { event: other } = await makeEvent({ startsAt: new Date("2027-05-01T19:00:00Z") });
    const text = eventsToIcs([london, { ...other, timeZone: "America/New_York" }], { appUrl: APP, name: "t", includeJoinUrl: false });
    const cal = parseCalendar(text);
    expect(cal.root.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid"))).toEqual(["Europe/London", "America/New_York"]);
    expect(
      cal
        .occurrences()
        .map((o) => +o.start)
        .sort(),
    ).toEqual([+london.startsAt, +other.startsAt].sort());
  });

  it("descriptions are plain text, with the page's address: a Markdown description rendered to text, a summary as typed", async () => {
    const actor = await organiser();
    const slug = await published(actor, { title: "Plain text please", summary: "", description: "Bring **your** questions about HBAI." });
    const cal = parseCalendar(await build(publicFeed(APP)));
    const mine = cal.occurrences().find((o) => o.summary === "Plain text please")!;
    expect(mine.description).toContain("Bring your questions about HBAI.");
    expect(mine.description).toContain(`Details: ${APP}/events/${slug}`);
    expect(mine.description).not.toMatch(/\*\*|<strong>/);
  });
});

describe("changes reach calendars", () => {
  it("SEQUENCE increases after an edit of the time, and LAST-MODIFIED follows", async () => {
    const actor = await organiser();
    const slug = await published(actor, { title: "Sequence check" });
    const seqOf = async () => {
      const cal = parseCalendar(await build(publicFeed(APP)));
      const v = cal.vevents.find((e) => e.getFirstPropertyValue("summary") === "Sequence check")!;
      return Number(v.getFirstPropertyValue("sequence"));
    };
    const before = await seqOf();
    const e = await eventBySlug(slug);
    const later = input({ title: "Sequence check", startsAt: new Date(+e.startsAt + 3_600_000), endsAt: new Date(+e.endsAt + 3_600_000) });
    expect((await updateEvent(actor, slug, later, APP, { confirmClash: true })).ok).toBe(true);
    expect(await seqOf()).toBe(before + 1);
  });

  it("a cancelled event stays in the feed with STATUS:CANCELLED; after 90 days it is gone", async () => {
    const actor = await organiser();
    const slug = await published(actor, { title: "Cancelled briefing" });
    await cancelEvent(actor, slug, APP);
    const cal = parseCalendar(await build(publicFeed(APP)));
    expect(cal.occurrences().find((o) => o.summary === "Cancelled briefing")?.status).toBe("CANCELLED");
    const in91Days = new Date(Date.now() + 91 * DAY);
    expect(await build(publicFeed(APP, in91Days))).not.toContain("Cancelled briefing");
  });
});

describe("series", () => {
  it("one VEVENT with RRULE; the cancelled occurrence is left out and the moved one moved", async () => {
    const actor = await organiser();
    const slugs = await weeklySeries(actor);
    await cancelEvent(actor, slugs[1], APP);
    const third = await eventBySlug(slugs[2]);
    // Moved from Tuesday 30 March to Wednesday 31 March, same time of day (BST).
    await updateEvent(
      actor,
      slugs[2],
      input({ title: "Weekly methods session", startsAt: new Date(+third.startsAt + DAY), endsAt: new Date(+third.endsAt + DAY) }),
      APP,
      {
        confirmClash: true,
      },
    );
    const text = await build(publicFeed(APP));
    const cal = parseCalendar(text);
    const series = cal.vevents.filter((v) => v.getFirstPropertyValue("summary") === "Weekly methods session");
    expect(series.filter((v) => v.hasProperty("rrule"))).toHaveLength(1);
    expect(series.find((v) => v.hasProperty("rrule"))!.getFirstPropertyValue("uid")).toMatch(/^series-/);
    expect(text).toMatch(/EXDATE;TZID=Europe\/London:20270323T180000/);
    expect(text).toMatch(/RECURRENCE-ID;TZID=Europe\/London:20270330T180000/);
    const starts = cal
      .occurrences()
      .filter((o) => o.summary === "Weekly methods session")
      .map((o) => o.start.toISOString());
    expect(starts).toEqual(["2027-03-16T18:00:00.000Z", "2027-03-31T17:00:00.000Z", "2027-04-06T17:00:00.000Z"]);
  });

  it("a private feed lists only the occurrences the person holds", async () => {
    const actor = await organiser();
    const slugs = await weeklySeries(actor, { title: "Held sessions" });
    const me = await makePerson();
    for (const s of [slugs[0], slugs[3]]) expect((await registerForEvent(me, (await eventBySlug(s)).id, { appUrl: APP })).ok).toBe(true);
    const cal = parseCalendar(await build(personalFeed(me.id, APP)));
    expect(cal.occurrences().map((o) => o.start.toISOString())).toEqual(["2027-03-16T18:00:00.000Z", "2027-04-06T17:00:00.000Z"]);
  });
});

describe("what each feed carries", () => {
  it("a private feed carries joining links and task due dates; public feeds and downloads never carry a joining link", async () => {
    const hub = await makeHub();
    const { event } = await makeEvent({ hubId: hub.id, joinUrl: "https://meet.example.org/only-for-confirmed" });
    const me = await makePerson();
    await registerForEvent(me, event.id, { appUrl: APP });
    const led = await makeTask(hub.id, { title: "Cost the two-child limit", dueDate: "2027-02-10" });
    const helped = await makeTask(hub.id, { title: "Regional child poverty", dueDate: "2027-02-20" });
    await makeTask(hub.id, { title: "Someone else's task", dueDate: "2027-02-21" });
    await db.update(schema.tasks).set({ leadUserId: me.id, status: "claimed" }).where(eq(schema.tasks.id, led.id));
    await db.insert(schema.taskCollaborators).values({ taskId: helped.id, userId: me.id });

    const mine = parseCalendar(await build(personalFeed(me.id, APP)));
    const occ = mine.occurrences();
    expect(occ.find((o) => o.uid === `${event.id}@convene`)!.description).toContain("Join: https://meet.example.org/only-for-confirmed");
    expect(occ.filter((o) => o.allDayDate).map((o) => [o.summary, o.allDayDate])).toEqual([
      ["Due: Cost the two-child limit", "2027-02-10"],
      ["Due: Regional child poverty", "2027-02-20"],
    ]);

    for (const text of [
      await build(publicFeed(APP)),
      await build(hubFeed((await db.select().from(schema.hubs).where(eq(schema.hubs.id, hub.id)))[0], APP)),
      eventsToIcs([event], { appUrl: APP, name: "x", includeJoinUrl: false }),
    ]) {
      parseCalendar(text);
      expect(text).not.toContain("only-for-confirmed");
    }
  });

  it("a hub's feed carries the political moment as an all-day event", async () => {
    const hub = await makeHub({ momentInDays: 30 });
    const row = (await db.select().from(schema.hubs).where(eq(schema.hubs.id, hub.id)))[0];
    const cal = parseCalendar(await build(hubFeed(row, APP)));
    const moment = cal.occurrences().find((o) => o.uid === `moment-${hub.id}@convene`)!;
    expect(moment.summary).toBe(row.momentName);
    expect(moment.allDayDate).toBe(new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(row.momentAt));
  });

  it("a community's feed has its events only; private communities' events stay out of the public feed", async () => {
    const open = await makeCommunity();
    const closed = await makeCommunity({ visibility: "private" });
    const { event: a } = await makeEvent({ communityId: open.id });
    const { event: b } = await makeEvent({ communityId: closed.id });
    const openFeed = await build(communityFeed({ id: open.id, name: "Open" }, APP));
    expect(openFeed).toContain(`${a.id}@convene`);
    expect(openFeed).not.toContain(`${b.id}@convene`);
    const pub = await build(publicFeed(APP));
    expect(pub).toContain(`${a.id}@convene`);
    expect(pub).not.toContain(`${b.id}@convene`);
  });

  it("the ETag changes when an event in the feed changes, and only then", async () => {
    const first = (await publicFeed(APP)).etag;
    expect((await publicFeed(APP)).etag).toBe(first);
    await makeEvent();
    expect((await publicFeed(APP)).etag).not.toBe(first);
  });
});

describe("private feed tokens", () => {
  it("a revoked token is unknown; a regenerated one works and the old one does not", async () => {
    const me = await makePerson();
    const first = await regenerateFeedToken(me.id);
    expect(first.length).toBeGreaterThanOrEqual(22); // 32 random bytes, base64url
    expect(await feedOwner(first)).toBe(me.id);
    const [row] = await db.select().from(schema.calendarFeeds).where(eq(schema.calendarFeeds.userId, me.id));
    expect(row.tokenHash).not.toContain(first);
    expect(row.lastFetchedAt).not.toBeNull();
    const second = await regenerateFeedToken(me.id);
    expect(await feedOwner(first)).toBeNull();
    expect(await feedOwner(second)).toBe(me.id);
    expect(await revokeFeedToken(me.id)).toBe(true);
    expect(await feedOwner(second)).toBeNull();
    expect(await feedOwner("not a token at all")).toBeNull();
  });

  it("deleting an account deletes its feed token", async () => {
    const me = await makePerson();
    const token = await regenerateFeedToken(me.id);
    expect((await deleteAccount({ userId: me.id, password: me.password })).ok).toBe(true);
    expect(await feedOwner(token)).toBeNull();
    expect(await db.select().from(schema.calendarFeeds).where(eq(schema.calendarFeeds.userId, me.id))).toHaveLength(0);
  });
});

describe("iCalendar written byte by byte as RFC 5545 says", () => {
  const HOSTILE = [
    'Siobhán "Shiv" Ní Bhriain; Ó Dónaill, PhD',
    "Line one\r\nX-INJECTED:yes",
    "Emoji 🙂 and ‮right-to-left‬",
    "Colon: semi; comma, back\\slash",
    'Caret ^ and quote "',
  ];

  function checkBytes(text: string) {
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/); // every line ends in CRLF
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    const unfolded = text.replace(/\r\n /g, "");
    expect(unfolded).not.toMatch(/^X-INJECTED/m);
    for (const line of unfolded.split("\r\n").filter((l) => l.startsWith("ORGANIZER"))) {
      expect(line).not.toContain('\\"'); // no backslash escapes in parameter values
      expect(line).toMatch(/^ORGANIZER;CN=("[^"]*"|[^";:,]*):mailto:/);
    }
  }

  it("hostile organiser names and titles give files every line of which is right, and that ical.js reads back", async () => {
    for (const name of HOSTILE) {
      const { event } = await makeEvent({ startsAt: new Date(Date.now() + 5 * DAY) });
      await db.update(schema.events).set({ title: name, summary: "2*3*4 = 24" }).where(eq(schema.events.id, event.id));
      const [row] = await db.select().from(schema.events).where(eq(schema.events.id, event.id));
      const ics = eventsToIcs([row], { appUrl: APP, name: row.title, includeJoinUrl: false, organiser: name });
      checkBytes(ics);
      const parsed = parseCalendar(ics);
      const [occ] = parsed.occurrences();
      expect(occ.summary.replace(/\r\n/g, "\n")).toBe(name.replace(/\r\n/g, "\n"));
      expect(occ.description.startsWith("2*3*4 = 24")).toBe(true);
      const organiserCn = ICAL.parse(ics)[2]
        .find((c: unknown[]) => c[0] === "vevent")[1]
        .find((p: unknown[]) => p[0] === "organizer")[1].cn;
      expect(String(organiserCn).replace(/\r\n/g, "\n")).toBe(name.replace(/\r\n/g, "\n"));
    }
  });

  it("feeds say how often to look again; all-day items have an end and an organiser; online events a place", async () => {
    const hub = await makeHub();
    await makeTask(hub.id, { dueDate: "2027-01-15" });
    const [row] = await db.select().from(schema.hubs).where(eq(schema.hubs.id, hub.id));
    const text = await (await hubFeed(row, APP)).build();
    checkBytes(text);
    expect(text).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n");
    expect(text).toContain("X-PUBLISHED-TTL:PT1H\r\n");
    const unfolded = text.replace(/\r\n /g, "");
    const moment = unfolded.split("BEGIN:VEVENT").find((v) => v.includes(`moment-${hub.id}`))!;
    expect(moment).toMatch(/DTEND;VALUE=DATE:\d{8}/);
    expect(moment).toContain("ORGANIZER;CN=Convene:mailto:");
    const { event } = await makeEvent({ startsAt: new Date(Date.now() + 6 * DAY) });
    const online = eventsToIcs([event], { appUrl: APP, name: "x", includeJoinUrl: false });
    expect(online.replace(/\r\n /g, "")).toContain(`LOCATION:${APP}/events/${event.slug}`);
    expect(online).not.toContain("secret-room");
  });

  it("a series' SEQUENCE rises with each occurrence cancelled", async () => {
    const actor = await organiser();
    const slugs = await weeklySeries(actor, { title: "Sequence series check" });
    const seq = async () => {
      const text = await (await publicFeed(APP)).build();
      const master = text
        .replace(/\r\n /g, "")
        .split("BEGIN:VEVENT")
        .find((v) => v.includes("RRULE") && v.includes("Sequence series check"))!;
      return Number(/SEQUENCE:(\d+)/.exec(master)![1]);
    };
    const s0 = await seq();
    expect(await cancelEvent(actor, slugs[1], APP)).toMatchObject({ ok: true });
    const s1 = await seq();
    expect(await cancelEvent(actor, slugs[3], APP)).toMatchObject({ ok: true });
    const s2 = await seq();
    expect(s1).toBeGreaterThan(s0);
    expect(s2).toBeGreaterThan(s1);
  });
});
