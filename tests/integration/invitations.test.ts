import { and, asc, eq } from "drizzle-orm";
import ICAL from "ical.js";
import nodeIcal from "node-ical";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { communityFeed, hubFeed, momentItem, personalFeed, publicFeed } from "../../app/calendar/feeds.server";
import { buildCalendar, eventsToIcs } from "../../app/calendar/ics.server";
import { EventForm } from "../../app/forms/events.server";
import { cancelEvent, createEvent, publishEvent, updateEvent } from "../../app/models/events.server";
import { cancelRegistration, registerForEvent } from "../../app/models/registrations.server";
import { db, schema } from "../../app/utils/db.server";
import { resetEnvCache } from "../../app/utils/env.server";
import { parseForm } from "../../app/utils/forms.server";
import type { Event, OutboxAttachment } from "../../db/schema";
import { makeCommunity } from "../fixtures/communities";
import { eventInput, makeEvent } from "../fixtures/events";
import { makeHub, makeTask } from "../fixtures/hubs";
import { parseCalendar } from "../fixtures/ical";
import { makePerson } from "../fixtures/people";
import { checkIcs, HOSTILE_NAMES } from "../fixtures/rfc5545";

const APP = "http://convene.test";
const ORGANIZER = "events@convene.test";

const inputOf = (e: Event, over: Partial<Event> = {}) => {
  const x = { ...e, ...over };
  return {
    kind: x.kind,
    title: x.title,
    summary: x.summary,
    description: x.description,
    startsAt: x.startsAt,
    endsAt: x.endsAt,
    timeZone: x.timeZone,
    capacity: x.capacity,
    registrationOpensAt: x.registrationOpensAt,
    registrationClosesAt: x.registrationClosesAt,
    joinUrl: x.joinUrl,
    venue: x.venue,
    accessProvisions: x.accessProvisions,
    accessOther: x.accessOther,
    communityId: x.communityId,
    hubId: x.hubId,
  };
};

/** Every email to an address, oldest first, with its calendar attachments. */
async function mailsTo(email: string) {
  return db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, email)).orderBy(asc(schema.emailOutbox.createdAt));
}
const invites = (mails: { attachments: OutboxAttachment[] }[]) => mails.flatMap((m) => m.attachments.filter((a) => a.contentType.startsWith("text/calendar")));

/** The one VEVENT of an emailed invitation, read by ical.js. */
function read(a: OutboxAttachment) {
  const root = new ICAL.Component(ICAL.parse(a.content));
  const v = root.getFirstSubcomponent("vevent")!;
  const organizer = v.getFirstProperty("organizer")!;
  const attendee = v.getFirstProperty("attendee");
  return {
    method: root.getFirstPropertyValue("method"),
    uid: v.getFirstPropertyValue("uid"),
    sequence: Number(v.getFirstPropertyValue("sequence")),
    status: v.getFirstPropertyValue("status"),
    start: (v.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate(),
    organizer: { cn: organizer.getParameter("cn"), value: organizer.getFirstValue() },
    attendee: attendee
      ? { cn: attendee.getParameter("cn"), value: attendee.getFirstValue(), partstat: attendee.getParameter("partstat"), rsvp: attendee.getParameter("rsvp") }
      : null,
    description: String(v.getFirstPropertyValue("description") ?? ""),
  };
}

const eventRow = async (id: string) => (await db.select().from(schema.events).where(eq(schema.events.id, id)))[0];
const regOf = async (eventId: string, userId: string) =>
  (
    await db
      .select()
      .from(schema.eventRegistrations)
      .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.userId, userId)))
  )[0];

beforeAll(() => {
  process.env.CALENDAR_ORGANIZER = ORGANIZER;
  resetEnvCache();
});
afterAll(() => {
  delete process.env.CALENDAR_ORGANIZER;
  resetEnvCache();
});

describe("emailed invitations", () => {
  it("one registration's confirmation, change and cancellation share a UID, SEQUENCE rises, and the last is METHOD:CANCEL", async () => {
    const { event, organiser } = await makeEvent({ capacity: 5 });
    await db.update(schema.users).set({ name: "Amira Okafor" }).where(eq(schema.users.id, organiser.id));
    const a = await makePerson({ name: "Dev Patel" });
    expect(await registerForEvent(a, event.id, { appUrl: APP })).toMatchObject({ ok: true, status: "confirmed" });
    const later = { startsAt: new Date(+event.startsAt + 3_600_000), endsAt: new Date(+event.endsAt + 3_600_000) };
    expect(await updateEvent(organiser, event.slug, inputOf(event, later), APP, { confirmClash: true })).toMatchObject({ ok: true });
    expect(await cancelEvent(organiser, event.slug, APP)).toMatchObject({ ok: true });

    const mails = await mailsTo(a.email);
    expect(mails.map((m) => m.subject)).toEqual([`Your place is confirmed: ${event.title}`, `Changed: ${event.title}`, `Cancelled: ${event.title}`]);
    const sent = invites(mails);
    expect(sent.map((s) => s.contentType)).toEqual([
      "text/calendar; charset=utf-8; method=REQUEST",
      "text/calendar; charset=utf-8; method=REQUEST",
      "text/calendar; charset=utf-8; method=CANCEL",
    ]);
    const [confirmed, changed, cancelled] = sent.map(read);
    expect(new Set([confirmed.uid, changed.uid, cancelled.uid])).toEqual(new Set([`${event.id}@convene`]));
    expect(confirmed.sequence).toBeLessThan(changed.sequence);
    expect(changed.sequence).toBeLessThan(cancelled.sequence);
    expect([confirmed.method, changed.method, cancelled.method]).toEqual(["REQUEST", "REQUEST", "CANCEL"]);
    expect(cancelled.status).toBe("CANCELLED");
    expect(Math.floor(+changed.start / 1000)).toBe(Math.floor(+later.startsAt / 1000));
    for (const inv of [confirmed, changed, cancelled]) {
      expect(inv.organizer).toEqual({ cn: "Amira Okafor", value: `mailto:${ORGANIZER}` });
      expect(inv.attendee).toMatchObject({ cn: "Dev Patel", value: `mailto:${a.email}`, rsvp: "FALSE" });
    }
    expect([confirmed.attendee?.partstat, changed.attendee?.partstat]).toEqual(["ACCEPTED", "ACCEPTED"]);
    // The joining link is in the invitations of a confirmed place, never in a cancellation.
    expect(confirmed.description).toContain("secret-room");
    expect(cancelled.description).not.toContain("secret-room");
    // The organiser's own address is private: it is in no invitation.
    for (const s of sent) expect(s.content).not.toContain(organiser.email);
  });

  it("a person's own cancellation withdraws their invitation without moving the event for anyone else; registering again rises above it", async () => {
    const { event } = await makeEvent({ capacity: 5 });
    const [a, b] = [await makePerson(), await makePerson()];
    await registerForEvent(a, event.id, { appUrl: APP });
    await registerForEvent(b, event.id, { appUrl: APP });
    const before = (await eventRow(event.id)).sequence;
    expect(await cancelRegistration(a, event.id, APP)).toMatchObject({ ok: true, changed: true });
    expect((await eventRow(event.id)).sequence).toBe(before);
    const [aFirst, aCancel] = invites(await mailsTo(a.email)).map(read);
    expect(aCancel).toMatchObject({ method: "CANCEL", status: "CANCELLED", uid: aFirst.uid });
    expect(aCancel.sequence).toBeGreaterThan(aFirst.sequence);
    expect((await mailsTo(a.email)).at(-1)?.subject).toBe(`Your place is cancelled: ${event.title}`);
    // Someone else's calendar is untouched: B was sent one invitation, at the event's number.
    expect(
      invites(await mailsTo(b.email))
        .map(read)
        .map((i) => i.sequence),
    ).toEqual([before]);

    expect(await registerForEvent(a, event.id, { appUrl: APP })).toMatchObject({ ok: true, status: "confirmed" });
    const again = invites(await mailsTo(a.email))
      .map(read)
      .at(-1)!;
    expect(again.method).toBe("REQUEST");
    expect(again.sequence).toBeGreaterThan(aCancel.sequence);
    expect((await regOf(event.id, a.id)).invitationSequence).toBe(again.sequence);
    // Cancelling twice sends nothing the second time.
    await cancelRegistration(a, event.id, APP);
    const count = (await mailsTo(a.email)).length;
    await cancelRegistration(a, event.id, APP);
    expect((await mailsTo(a.email)).length).toBe(count);
  });

  it("the waitlisted get no invitation until promoted; whoever left gets nothing when the event is cancelled", async () => {
    const { event, organiser } = await makeEvent({ capacity: 1 });
    const [a, b, c] = [await makePerson(), await makePerson(), await makePerson()];
    await registerForEvent(a, event.id, { appUrl: APP });
    await registerForEvent(b, event.id, { appUrl: APP });
    await registerForEvent(c, event.id, { appUrl: APP });
    expect(invites(await mailsTo(b.email))).toEqual([]);
    // A change of place: the confirmed person's calendar is updated; the waitlisted are told, with nothing to add.
    await updateEvent(organiser, event.slug, inputOf(event, { joinUrl: "https://meet.example.org/new-room" }), APP, { confirmClash: true });
    expect(invites(await mailsTo(a.email)).map((i) => read(i).method)).toEqual(["REQUEST", "REQUEST"]);
    expect((await mailsTo(b.email)).at(-1)?.subject).toBe(`Changed: ${event.title}`);
    expect(invites(await mailsTo(b.email))).toEqual([]);
    // A leaves: B is promoted and sent the invitation (with the new link).
    await cancelRegistration(a, event.id, APP);
    const promoted = invites(await mailsTo(b.email)).map(read);
    expect(promoted.map((i) => i.method)).toEqual(["REQUEST"]);
    expect(promoted[0].description).toContain("new-room");
    const aCount = (await mailsTo(a.email)).length;
    await cancelEvent(organiser, event.slug, APP);
    expect((await mailsTo(a.email)).length).toBe(aCount);
    expect(invites(await mailsTo(b.email)).map((i) => read(i).method)).toEqual(["REQUEST", "CANCEL"]);
    // C, still waiting, is told, with no calendar file: there is nothing in their calendar.
    expect((await mailsTo(c.email)).at(-1)?.subject).toBe(`Cancelled: ${event.title}`);
    expect(invites(await mailsTo(c.email))).toEqual([]);
  });

  it("the organiser's mailbox defaults to MAIL_FROM's address", async () => {
    delete process.env.CALENDAR_ORGANIZER;
    process.env.MAIL_FROM = "Convene Events <hello@mail.convene.test>";
    resetEnvCache();
    try {
      const { event } = await makeEvent();
      const ics = eventsToIcs([event], {
        appUrl: APP,
        name: event.title,
        includeJoinUrl: false,
        method: "REQUEST",
        attendee: { name: "X", email: "x@example.org" },
      });
      expect(ics).toContain(":mailto:hello@mail.convene.test\r\n");
    } finally {
      delete process.env.MAIL_FROM;
      process.env.CALENDAR_ORGANIZER = ORGANIZER;
      resetEnvCache();
    }
  });
});

describe("every output, byte by byte (RFC 5545) and read by ical.js, for hostile names and titles", () => {
  it("downloads, every kind of feed, the private feed and every email attachment", async () => {
    const outputs: { what: string; text: string; method?: "PUBLISH" | "REQUEST" | "CANCEL" }[] = [];
    const made0 = await makeCommunity();
    const community = { id: made0.id, name: `${HOSTILE_NAMES[2]} ${made0.slug}` };
    await db.update(schema.communities).set({ name: community.name }).where(eq(schema.communities.id, community.id));
    const { id: hubId } = await makeHub();
    await db
      .update(schema.hubs)
      .set({ title: `${HOSTILE_NAMES[1]} hub`, momentName: HOSTILE_NAMES[0] })
      .where(eq(schema.hubs.id, hubId));
    const hub = (await db.select().from(schema.hubs).where(eq(schema.hubs.id, hubId)))[0];
    await makeTask(hub.id, { title: HOSTILE_NAMES[3], dueDate: "2027-01-15" });
    const person = await makePerson({ name: HOSTILE_NAMES[4] });
    for (const [k, name] of HOSTILE_NAMES.entries()) {
      const organiser = await makePerson({ name, roles: ["organiser"] });
      const made = await createEvent(
        organiser,
        eventInput({
          title: `${name}`
            .replace(/\u0000/g, "")
            .slice(0, 200)
            .padEnd(3, "."),
          summary: `${HOSTILE_NAMES[(k + 1) % HOSTILE_NAMES.length]}`.slice(0, 300),
          description: `**${name}**\n\n> ${HOSTILE_NAMES[(k + 2) % HOSTILE_NAMES.length]}`,
          venue: k % 2 ? `${HOSTILE_NAMES[(k + 3) % HOSTILE_NAMES.length]}`.slice(0, 500) : null,
          joinUrl: "https://meet.example.org/room?x=1;y=2,z",
          hubId: k === 0 ? hub.id : null,
          communityId: null,
        }),
        { confirmClash: true, ...(k === 1 ? { repeat: { every: "week" as const, count: 3 } } : {}) },
      );
      if (!made.ok) throw new Error(made.message);
      expect((await publishEvent(organiser, made.slug!)).ok).toBe(true);
      if (k === 5) await db.update(schema.events).set({ communityId: community.id }).where(eq(schema.events.slug, made.slug!));
      const event = (await db.select().from(schema.events).where(eq(schema.events.slug, made.slug!)))[0];
      await registerForEvent(person, event.id, { appUrl: APP });
      outputs.push({
        what: `download ${k}`,
        text: eventsToIcs([event], { appUrl: APP, name: event.title, includeJoinUrl: true, organiser: name }),
        method: "PUBLISH",
      });
      // A change and a cancellation, for their attachments.
      if (k === 2)
        await updateEvent(
          organiser,
          event.slug,
          inputOf(event, { startsAt: new Date(+event.startsAt + 3_600_000), endsAt: new Date(+event.endsAt + 3_600_000) }),
          APP,
          { confirmClash: true },
        );
      if (k === 3) await cancelEvent(organiser, event.slug, APP);
      if (k === 4) await cancelRegistration(person, event.id, APP);
    }
    outputs.push({ what: "public feed", text: await (await publicFeed(APP)).build(), method: "PUBLISH" });
    outputs.push({ what: "hub feed", text: await (await hubFeed(hub, APP)).build(), method: "PUBLISH" });
    outputs.push({ what: "community feed", text: await (await communityFeed(community, APP)).build(), method: "PUBLISH" });
    outputs.push({ what: "personal feed", text: await (await personalFeed(person.id, APP)).build(), method: "PUBLISH" });
    outputs.push({
      what: "moment alone",
      text: buildCalendar({ name: hub.title, appUrl: APP, events: [], allDay: [momentItem(hub, APP)] }),
      method: "PUBLISH",
    });
    for (const m of await mailsTo(person.email)) {
      for (const a of m.attachments)
        outputs.push({ what: `attachment of "${m.subject}"`, text: a.content, method: /method=(\w+)/.exec(a.contentType)![1] as "REQUEST" | "CANCEL" });
    }
    expect(outputs.filter((o) => o.method === "CANCEL").length).toBeGreaterThanOrEqual(2);
    expect(outputs.filter((o) => o.what.startsWith("attachment") && o.method === "REQUEST").length).toBeGreaterThanOrEqual(5);

    const names = new Set((await db.select({ name: schema.users.name }).from(schema.users)).map((u) => clean(u.name)));
    for (const o of outputs) {
      const { problems } = checkIcs(o.text, { method: o.method });
      expect(problems, o.what).toEqual([]);
      // ical.js reads it whole, and gives back each title and organiser's name as written.
      const cal = parseCalendar(o.text);
      expect(cal.vevents.length + 0, o.what).toBeGreaterThan(0);
      for (const v of cal.vevents) {
        const cn = v.getFirstProperty("organizer")?.getParameter("cn") as string | undefined;
        expect(cn === "Convene" || names.has(cn!), `${o.what}: organiser ${cn}`).toBe(true);
      }
    }
    // The summaries come back exactly as typed (less the control characters).
    const pub = parseCalendar(outputs.find((o) => o.what === "public feed")!.text);
    const titles = new Set(pub.occurrences().map((x) => x.summary));
    for (const n of HOSTILE_NAMES) expect(titles.has(clean(n).trim()), n).toBe(true);
  });
});

/** What a name becomes once control characters other than line breaks are dropped. */
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");

describe("the nights the clocks change", () => {
  const good = { kind: "webinar", title: "Late clinic", timeZone: "Europe/London", capacity: "50" };
  const form = (fields: Record<string, string>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ ...good, ...fields })) fd.append(k, v);
    return parseForm(fd, EventForm);
  };

  it("refuses a time that does not exist, and asks which of a repeated time is meant", async () => {
    const missing = await form({ startDate: "2027-03-28", startTime: "01:30", endTime: "03:00" });
    expect(missing.ok ? null : missing.errors.startTime).toBe(
      "There is no 01:30 on Sunday 28 March 2027 here: the clocks go forward that night. Choose a time before or after the change.",
    );
    const twice = await form({ startDate: "2026-10-25", startTime: "01:30", endTime: "03:00" });
    expect(twice.ok ? null : twice.errors.startWhich).toMatch(/^01:30 happens twice on Sunday 25 October 2026, because the clocks go back that night/);
    const first = await form({ startDate: "2026-10-25", startTime: "01:30", startWhich: "first", endTime: "03:00" });
    const second = await form({ startDate: "2026-10-25", startTime: "01:30", startWhich: "second", endTime: "03:00" });
    expect(first.ok && first.data.input.startsAt.toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(second.ok && second.data.input.startsAt.toISOString()).toBe("2026-10-25T01:30:00.000Z");
    const endTwice = await form({ startDate: "2026-10-25", startTime: "00:30", endTime: "01:15" });
    expect(endTwice.ok ? null : endTwice.errors.endWhich).toMatch(/01:15 happens twice/);
    // Registration windows: a missing time is refused beside its field.
    const window = await form({ startDate: "2027-04-10", startTime: "10:00", endTime: "11:00", registrationOpens: "2027-03-28T01:15" });
    expect(window.ok ? null : window.errors.registrationOpens).toMatch(/There is no 01:15/);
  });

  it("writes each instant so that ical.js and node-ical agree with the page, to the second", async () => {
    const { organiser } = await makeEvent();
    const cases: [string, string][] = [
      ["2027-10-30T23:30:00Z", "2027-10-31T00:30:00Z"], // 00:30 BST to the first 01:30
      ["2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z"], // the first 01:30 to the second
      ["2027-10-31T01:30:00Z", "2027-10-31T02:30:00Z"], // the second 01:30 to 02:30 GMT
      ["2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z"], // 00:30 GMT to 02:30 BST
    ];
    const events: Event[] = [];
    for (const [s, e] of cases) {
      const made = await createEvent(organiser, eventInput({ title: `Clock ${s}`, startsAt: new Date(s), endsAt: new Date(e) }), { confirmClash: true });
      if (!made.ok) throw new Error(made.message);
      await publishEvent(organiser, made.slug!);
      events.push((await db.select().from(schema.events).where(eq(schema.events.slug, made.slug!)))[0]);
    }
    const texts = [eventsToIcs(events, { appUrl: APP, name: "Clocks", includeJoinUrl: false }), await (await publicFeed(APP)).build()];
    for (const text of texts) {
      expect(checkIcs(text).problems).toEqual([]);
      const byIcalJs = new Map(
        parseCalendar(text)
          .occurrences()
          .map((o) => [o.uid, o]),
      );
      const byNodeIcal = nodeIcal.sync.parseICS(text);
      for (const e of events) {
        const uid = `${e.id}@convene`;
        expect(byIcalJs.get(uid)?.start.toISOString(), `ical.js start ${e.title}`).toBe(e.startsAt.toISOString());
        expect(byIcalJs.get(uid)?.end.toISOString(), `ical.js end ${e.title}`).toBe(e.endsAt.toISOString());
        const n = byNodeIcal[uid] as { start: Date; end: Date };
        expect(n.start.toISOString(), `node-ical start ${e.title}`).toBe(e.startsAt.toISOString());
        expect(n.end.toISOString(), `node-ical end ${e.title}`).toBe(e.endsAt.toISOString());
      }
    }
    // A repeated 01:30 is written in UTC (readers differ on which one a local 01:30 is).
    expect(texts[0]).toContain("DTSTART:20271031T013000Z");
    expect(texts[0]).toContain("DTSTART:20271031T003000Z");
  });
});
