import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sendDigests } from "../../app/jobs/digests.server";
import { joinCommunity, leaveCommunity } from "../../app/models/communities.server";
import { peekUnsubscribe, savePreferences, unsubscribe } from "../../app/models/email-preferences.server";
import { cancelEvent, publishEvent, updateEvent } from "../../app/models/events.server";
import { followIn, followsOf, setFollowing } from "../../app/models/follows.server";
import { markRead, notificationsOf, unreadCount } from "../../app/models/notifications.server";
import { requestToJoinOrganisation } from "../../app/models/orgs.server";
import { claimTask, proposeTask } from "../../app/models/tasks.server";
import { db, schema } from "../../app/utils/db.server";
import { makeCommunity, makeOrganisation } from "../fixtures/communities";
import { eventInput, makeEvent } from "../fixtures/events";
import { makeHub, makeResearcher, makeTask } from "../fixtures/hubs";
import { makePerson } from "../fixtures/people";

const APP = "http://localhost:3000";
const viewerOf = (p: { id: string; email: string; name: string }) => ({ ...p, emailVerifiedAt: new Date(), roles: [] as never[] });

async function notesOf(userId: string) {
  return db.select().from(schema.notifications).where(eq(schema.notifications.userId, userId));
}

async function mailsTo(email: string) {
  return db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, email));
}

const PREFS = { weekday: 1, hour: 8, timeZone: "Europe/London" };
const allKinds = (cadence: "immediately" | "daily" | "weekly" | "never") =>
  ({
    "kind.events": cadence,
    "kind.hub_tasks": cadence,
    "kind.my_tasks": cadence,
    "kind.mentions": cadence,
    "kind.join_requests": cadence,
    "kind.reports": cadence,
    "kind.help_offers": cadence,
    "kind.my_payments": cadence,
    "kind.payment_queue": cadence,
    "kind.data_gaps": cadence,
    "kind.data_review": cadence,
    "kind.harm_reports": cadence,
  }) as const;

describe("following and notifications", () => {
  it("only people who may see a private community's event are told of it; someone who left hears nothing more", async () => {
    const c = await makeCommunity({ visibility: "private" });
    const member = await makePerson();
    const gone = await makePerson();
    for (const p of [member, gone]) {
      await db.insert(schema.communityMemberships).values({ communityId: c.id, userId: p.id, status: "active", joinedAt: new Date() });
      await followIn(db, p.id, "community", c.id);
    }
    // The second leaves; even a follow left behind (say, from before) must not leak the event.
    await leaveCommunity(gone, c.slug);
    await followIn(db, gone.id, "community", c.id);
    const { event, organiser } = await makeEvent({ state: "draft", communityId: c.id });
    await db.insert(schema.communityMemberships).values({ communityId: c.id, userId: organiser.id, status: "active", joinedAt: new Date() });
    expect(await publishEvent(organiser, event.slug)).toMatchObject({ ok: true });

    const mine = await notesOf(member.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: "events", path: `/events/${event.slug}`, spaceKind: "community", spaceTitle: c.name });
    expect(mine[0].text).toMatch(new RegExp(`^New event: ${event.title}`));
    expect(await notesOf(gone.id)).toEqual([]);
    // Nor the organiser who made the change.
    expect(await notesOf(organiser.id)).toEqual([]);
  });

  it("a burst of changes to one event is one entry, counting the changes; read, the next change is a new one", async () => {
    const c = await makeCommunity();
    const follower = await makePerson();
    await followIn(db, follower.id, "community", c.id);
    const { event, organiser } = await makeEvent({ state: "draft", communityId: c.id });
    await db
      .insert(schema.communityMemberships)
      .values({ communityId: c.id, userId: organiser.id, status: "active", role: "facilitator", joinedAt: new Date() });
    await publishEvent(organiser, event.slug);
    for (const h of [1, 2]) {
      const startsAt = new Date(event.startsAt.getTime() + h * 3_600_000);
      const r = await updateEvent(
        organiser,
        event.slug,
        eventInput({ title: event.title, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), communityId: c.id }),
        APP,
        { confirmClash: true },
      );
      expect(r).toMatchObject({ ok: true });
    }
    let notes = await notesOf(follower.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ changes: 3 });
    expect(notes[0].text).toMatch(/^Changed: /);
    expect(await unreadCount(follower.id)).toBe(1);

    expect(await markRead(follower.id, notes[0].id)).toBe(1);
    expect(await unreadCount(follower.id)).toBe(0);
    await cancelEvent(organiser, event.slug, APP);
    notes = await notesOf(follower.id);
    expect(notes).toHaveLength(2);
    expect(notes.find((n) => !n.readAt)?.text).toMatch(/^Cancelled: /);
  });

  it("task changes reach the hub's followers and the task's people, never the person who made them", async () => {
    const hub = await makeHub();
    const follower = await makePerson();
    const lead = await makeResearcher("Lead");
    await followIn(db, follower.id, "hub", hub.id);
    const task = await makeTask(hub.id, { title: "Benefit cap effects" });
    expect(await claimTask(lead, task.id, null)).toMatchObject({ ok: true });
    const [claimed] = await notesOf(follower.id);
    expect(claimed).toMatchObject({ kind: "hub_tasks", subjectKey: `task:${task.id}`, path: `/hubs/${hub.slug}/tasks/${task.id}` });
    expect(claimed.text).toMatch(/^Benefit cap effects: .*claimed it/);
    expect(await notesOf(lead.id)).toEqual([]);
    // Claiming followed the hub; a new task by someone else reaches the lead as hub news.
    const proposed = await proposeTask(
      hub.steward,
      hub.slug,
      { title: "Child poverty by region", question: "", description: "", tags: [], dataSources: "", dueDate: null },
      {
        confirmNew: true,
      },
    );
    expect(proposed).toMatchObject({ ok: true });
    expect((await notesOf(lead.id)).map((n) => n.text)).toEqual(["New task: Child poverty by region"]);
  });

  it("join requests reach the facilitators and admins at once by email (their default), and are settled when answered", async () => {
    const c = await makeCommunity({ joinPolicy: "approval" });
    const asker = await makePerson({ name: "Asker" });
    await joinCommunity(asker, c.slug, "I run our advice line");
    const [note] = await notesOf(c.facilitator.id);
    expect(note).toMatchObject({ kind: "join_requests" });
    expect(note.text).toBe(`Asker asks to join ${c.name}: “I run our advice line”`);
    const [mail] = await mailsTo(c.facilitator.email);
    expect(mail.subject).toMatch(/Asker asks to join/);
    expect(mail.headers["List-Unsubscribe"]).toMatch(/^<http:\/\/[^>]+\/unsubscribe\/[A-Za-z0-9_-]{40,}>$/);
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(note.mailedAt).not.toBeNull();

    // Withdrawn: the facilitator's entry is marked read.
    await leaveCommunity(asker, c.slug);
    expect(await unreadCount(c.facilitator.id)).toBe(0);

    const admin = await makePerson();
    const org = await makeOrganisation({ admin });
    const joiner = await makePerson({ name: "Joiner" });
    await requestToJoinOrganisation({ id: joiner.id, emailVerifiedAt: new Date() }, org.slug);
    expect((await notesOf(admin.id)).map((n) => n.kind)).toEqual(["join_requests"]);
    expect(await mailsTo(admin.email)).toHaveLength(1);
  });

  it("news kinds default to the weekly summary: nothing is mailed at once; 'never' is listed but never mailed", async () => {
    const c = await makeCommunity();
    const weekly = await makePerson();
    const never = await makePerson();
    await savePreferences(never.id, { ...PREFS, ...allKinds("never") });
    for (const p of [weekly, never]) await followIn(db, p.id, "community", c.id);
    const { event, organiser } = await makeEvent({ state: "draft", communityId: c.id });
    await db
      .insert(schema.communityMemberships)
      .values({ communityId: c.id, userId: organiser.id, status: "active", role: "facilitator", joinedAt: new Date() });
    await publishEvent(organiser, event.slug);
    expect(await mailsTo(weekly.email)).toEqual([]);
    expect(await mailsTo(never.email)).toEqual([]);
    expect(await unreadCount(never.id)).toBe(1);
    // A week on, the weekly summary goes to one and not the other.
    const later = new Date(Date.now() + 8 * 86_400_000);
    await sendDigests(later);
    const [digest] = await mailsTo(weekly.email);
    expect(digest.subject).toBe("Your weekly Convene summary: 1 update");
    expect(digest.text).toContain(`Communities: ${c.name}`);
    expect(digest.text).toContain(`/events/${event.slug}`);
    expect(digest.html).toContain(`href="http://`);
    expect(digest.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(await mailsTo(never.email)).toEqual([]);
    // Once per period: running again sends nothing; the entry stays unread on the page.
    await sendDigests(later);
    expect(await mailsTo(weekly.email)).toHaveLength(1);
    expect(await unreadCount(weekly.id)).toBe(1);
  });

  it("a summary groups by space, events first, and holds only what came before its time", async () => {
    const person = await makePerson();
    await db.insert(schema.digestSettings).values({ userId: person.id, weekday: 3, hour: 9, timeZone: "Europe/London" });
    const at = (iso: string) => new Date(iso);
    const row = (subjectKey: string, spaceKind: "event" | "hub" | "community", spaceTitle: string, text: string, createdAt: Date) => ({
      id: crypto.randomUUID(),
      userId: person.id,
      kind: "events" as const,
      subjectKey,
      spaceKind,
      spaceTitle,
      text,
      path: `/x/${subjectKey}`,
      createdAt,
      updatedAt: createdAt,
    });
    await db.insert(schema.notifications).values([
      row("a", "community", "Zed community", "Community news", at("2026-12-01T10:00:00Z")),
      row("b", "hub", "Budget hub", "Hub news", at("2026-12-01T11:00:00Z")),
      row("c", "event", "A series", "Event news", at("2026-12-01T12:00:00Z")),
      // After Wednesday 09:00 UK time: next week's.
      row("d", "event", "A series", "Too late", at("2026-12-02T09:30:00Z")),
    ]);
    // Wednesday 2 December 2026, 10:00 UK: the period is that day, 09:00.
    expect(await sendDigests(at("2026-12-02T10:00:00Z"))).toBeGreaterThanOrEqual(1);
    const [mail] = await mailsTo(person.email);
    const text = mail.text;
    expect(text.indexOf("Events: A series")).toBeLessThan(text.indexOf("Moment hubs: Budget hub"));
    expect(text.indexOf("Moment hubs: Budget hub")).toBeLessThan(text.indexOf("Communities: Zed community"));
    expect(text).not.toContain("Too late");
    const [sent] = await db.select().from(schema.digestsSent).where(eq(schema.digestsSent.userId, person.id));
    expect(sent).toMatchObject({ cadence: "weekly", periodKey: "2026-12-02", items: 3 });
  });

  it("one-click unsubscribe: the token stops its kind at once, again changes nothing, a wrong one changes nothing", async () => {
    const c = await makeCommunity({ joinPolicy: "approval" });
    await joinCommunity(await makePerson(), c.slug, null);
    const [mail] = await mailsTo(c.facilitator.email);
    const token = mail.headers["List-Unsubscribe"].match(/unsubscribe\/([^>]+)>/)![1];
    expect(mail.text).toContain(`/unsubscribe/${token}`);
    // Looking changes nothing.
    expect(await peekUnsubscribe(token)).toMatchObject({ kind: "join_requests", stopped: false });
    expect(await peekUnsubscribe(`${token.slice(0, -2)}xx`)).toBeNull();
    expect(await unsubscribe("not-a-token")).toBeNull();
    expect(await unsubscribe(token)).toEqual({ kind: "join_requests" });
    expect(await unsubscribe(token)).toEqual({ kind: "join_requests" });
    const prefs = await db.select().from(schema.emailPreferences).where(eq(schema.emailPreferences.userId, c.facilitator.id));
    expect(prefs).toEqual([expect.objectContaining({ kind: "join_requests", cadence: "never" })]);
    // The next request is listed, not mailed.
    await joinCommunity(await makePerson(), c.slug, null);
    expect(await mailsTo(c.facilitator.email)).toHaveLength(1);
    expect(await unreadCount(c.facilitator.id)).toBe(2);
  });

  it("following needs something the person may see; the list shows titles; unfollowing is idempotent", async () => {
    const hidden = await makeCommunity({ visibility: "private" });
    const hub = await makeHub();
    const p = await makePerson();
    const v = viewerOf(p);
    expect(await setFollowing(v, "community", hidden.id, true)).toMatchObject({ ok: false, status: 404 });
    expect(await setFollowing(v, "planet", hub.id, true)).toMatchObject({ ok: false, status: 404 });
    expect(await setFollowing(v, "hub", "x".repeat(500), true)).toMatchObject({ ok: false, status: 404 });
    expect(await setFollowing(v, "hub", hub.id, true)).toMatchObject({ ok: true });
    expect(await setFollowing(v, "hub", hub.id, true)).toMatchObject({ ok: true });
    expect(await followsOf(p.id)).toEqual([{ kind: "hub", id: hub.id, title: expect.stringMatching(/^Hub /), path: `/hubs/${hub.slug}` }]);
    expect(await setFollowing(v, "hub", hub.id, false)).toMatchObject({ ok: true });
    expect(await setFollowing(v, "hub", hub.id, false)).toMatchObject({ ok: true });
    expect(await followsOf(p.id)).toEqual([]);
  });

  it("the list pages by time and marks all read", async () => {
    const p = await makePerson();
    const base = Date.now() - 100 * 60_000;
    await db.insert(schema.notifications).values(
      Array.from({ length: 35 }, (_, i) => ({
        id: crypto.randomUUID(),
        userId: p.id,
        kind: "events" as const,
        subjectKey: `k${i}`,
        spaceKind: "event" as const,
        spaceTitle: "S",
        text: `n${i}`,
        path: "/events",
        createdAt: new Date(base + i * 60_000),
        updatedAt: new Date(base + i * 60_000),
      })),
    );
    const first = await notificationsOf(p.id);
    expect(first.items).toHaveLength(30);
    expect(first.items[0].text).toBe("n34");
    const second = await notificationsOf(p.id, { before: new Date(first.more!) });
    expect(second.items.map((i) => i.text)).toEqual(["n4", "n3", "n2", "n1", "n0"]);
    expect(await unreadCount(p.id)).toBe(35);
    expect(await markRead(p.id, null)).toBe(35);
    expect(await unreadCount(p.id)).toBe(0);
    const [{ n }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where user_id = ${p.id} and read_at is not null`)).rows;
    expect(n).toBe(35);
    expect(
      await db
        .select()
        .from(schema.notifications)
        .where(and(eq(schema.notifications.userId, p.id))),
    ).toHaveLength(35);
  });
});

describe("mentions", () => {
  it("notify only people who may read the thread, never the author; suggestions list only readers who take part", async () => {
    const { postMessage, mentionSuggestions, mentionCandidates } = await import("../../app/models/threads.server");
    expect(mentionCandidates("Thanks @Aisha Rahman, and @bo.")).toEqual(expect.arrayContaining(["aisha", "aisha rahman", "bo"]));
    const c = await makeCommunity({ visibility: "private" });
    const member = await makePerson({ name: "Mira Member" });
    const outsider = await makePerson({ name: "Otto Outsider" });
    const author = await makePerson({ name: "Ann Author" });
    for (const p of [member, author]) {
      await db.insert(schema.communityMemberships).values({ communityId: c.id, userId: p.id, status: "active", joinedAt: new Date() });
    }
    const asAuthor = { ...author, emailVerifiedAt: new Date(), roles: [] as never[] };
    const posted = await postMessage(asAuthor, { kind: "community", key: c.slug }, "Could @Mira Member and @Otto Outsider look? And @Ann Author (me).");
    expect(posted).toMatchObject({ ok: true });
    const [note] = await notesOf(member.id);
    expect(note).toMatchObject({ kind: "mentions", spaceKind: "community", spaceTitle: c.name });
    expect(note.text).toBe(`Ann Author mentioned you in the discussion on “${c.name}”`);
    expect(note.path).toMatch(new RegExp(`^/communities/${c.slug}#m-\\d+$`));
    expect(await notesOf(outsider.id)).toEqual([]);
    expect(await notesOf(author.id)).toEqual([]);

    expect(await mentionSuggestions("community", c.slug, asAuthor, "mi")).toEqual([{ name: "Mira Member" }]);
    expect(await mentionSuggestions("community", c.slug, asAuthor, "member")).toEqual([{ name: "Mira Member" }]);
    expect(await mentionSuggestions("community", c.slug, asAuthor, "ot")).toEqual([]);
    expect(await mentionSuggestions("community", c.slug, asAuthor, "%")).toEqual([]);
    // Someone who may not post there gets nothing at all.
    expect(await mentionSuggestions("community", c.slug, { ...outsider, emailVerifiedAt: new Date(), roles: [] }, "mi")).toBeNull();
  });
});
