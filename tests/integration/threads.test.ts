import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { deleteAccount, exportUserData } from "../../app/models/account-data.server";
import {
  deleteMessage,
  dismissReports,
  editMessage,
  MAX_MESSAGE_CHARS,
  moderationQueue,
  postMessage,
  readMessages,
  removeMessage,
  reportMessage,
  threadAccess,
  threadForPage,
} from "../../app/models/threads.server";
import { subscribe } from "../../app/utils/bus.server";
import { db, schema } from "../../app/utils/db.server";
import { BUSY_MESSAGE } from "../../app/utils/outcome";
import { resetLimit } from "../../app/utils/rate-limit.server";
import { withControls } from "../../app/utils/test-controls.server";
import type { PlatformRole } from "../../db/schema";
import { makeCommunity } from "../fixtures/communities";
import { makeEvent } from "../fixtures/events";
import { makeHub, makeTask } from "../fixtures/hubs";
import { makePerson } from "../fixtures/people";
import { testDatabaseKind } from "../setup/database";

type Person = Awaited<ReturnType<typeof makePerson>>;
const actor = (p: Person, opts: { roles?: PlatformRole[]; verified?: boolean } = {}) => ({
  ...p,
  emailVerifiedAt: opts.verified === false ? null : new Date(),
  roles: opts.roles ?? [],
});
// Posting without the rate limit, for tests that post several times (its own test is below).
const quietPost = (...args: Parameters<typeof postMessage>) => withControls({ rateLimitsOff: true }, () => postMessage(...args));

async function member(communityId: string, role: "member" | "facilitator" = "member") {
  const p = await makePerson();
  await db.insert(schema.communityMemberships).values({ communityId, userId: p.id, role, status: "active", joinedAt: new Date() });
  return actor(p);
}

describe("who may read and post", () => {
  it("hub threads: anyone reads; posting needs a signed-in, verified account", async () => {
    const hub = await makeHub();
    expect((await threadAccess("hub", hub.slug, null))?.canRead).toBe(true);
    expect(await quietPost(null, { kind: "hub", key: hub.slug }, "Hello")).toMatchObject({
      ok: false,
      status: 403,
      message: expect.stringContaining("Log in"),
    });
    const unverified = actor(await makePerson({ verified: false }), { verified: false });
    expect(await quietPost(unverified, { kind: "hub", key: hub.slug }, "Hello")).toMatchObject({
      ok: false,
      status: 403,
      message: expect.stringContaining("Confirm your email"),
    });
    const ok = await quietPost(actor(await makePerson()), { kind: "hub", key: hub.slug }, "Hello");
    expect(ok).toMatchObject({ ok: true, view: { seq: 1 } });
  });

  it("community threads need membership; a private community's are 404 to outsiders", async () => {
    const open = await makeCommunity();
    const outsider = actor(await makePerson());
    const access = await threadAccess("community", open.slug, outsider);
    expect(access).toMatchObject({ canRead: false, canPost: false });
    expect(await quietPost(outsider, { kind: "community", key: open.slug }, "Hi")).toMatchObject({ ok: false, status: 403 });
    const insider = await member(open.id);
    expect(await quietPost(insider, { kind: "community", key: open.slug }, "Hi all")).toMatchObject({ ok: true });
    expect((await threadForPage("community", open.slug, outsider))?.messages).toEqual([]);

    const closed = await makeCommunity({ visibility: "private" });
    expect(await threadAccess("community", closed.slug, outsider)).toBeNull();
    expect(await quietPost(outsider, { kind: "community", key: closed.slug }, "Hi")).toMatchObject({ ok: false, status: 404 });
  });

  it("event and task threads follow their subject: a draft event's thread is 404 to the public", async () => {
    const { event: draft } = await makeEvent({ state: "draft" });
    expect(await threadAccess("event", draft.slug, actor(await makePerson()))).toBeNull();
    const hub = await makeHub();
    const task = await makeTask(hub.id);
    expect((await threadAccess("task", task.id, null))?.canRead).toBe(true);
    expect(await threadAccess("task", "00000000-0000-4000-8000-00000000dead", null)).toBeNull();
    expect(await threadAccess("nonsense", "x", null)).toBeNull();
  });
});

describe("messages", () => {
  it("are numbered per thread, stored before the broadcast, sanitised, and length-limited", async () => {
    const hub = await makeHub();
    const other = await makeHub();
    const p = actor(await makePerson());
    const heard: number[] = [];
    const off = subscribe("thread.message", async ({ message }) => {
      // The broadcast comes after the commit: the message is already readable.
      const rows = await db.select().from(schema.threadMessages).where(eq(schema.threadMessages.id, message.id));
      heard.push(rows.length);
    });
    for (const text of ["one", "two", "three"]) await quietPost(p, { kind: "hub", key: hub.slug }, text);
    await quietPost(p, { kind: "hub", key: other.slug }, "elsewhere");
    off();
    // The handlers read the database: wait until each has, not for a fixed time.
    await vi.waitFor(() => expect(heard).toEqual([1, 1, 1, 1]), { timeout: 5000, interval: 10 });
    const page = await threadForPage("hub", hub.slug, p);
    expect(page!.messages.map((m) => [m.seq, m.body])).toEqual([
      [1, "one"],
      [2, "two"],
      [3, "three"],
    ]);
    expect((await threadForPage("hub", other.slug, p))!.messages.map((m) => m.seq)).toEqual([1]);

    const hostile = await quietPost(p, { kind: "hub", key: hub.slug }, 'Look <script>alert(1)</script><img src=x onerror="alert(2)"> **here**');
    expect(hostile.ok && hostile.view.html).toContain("<strong>here</strong>");
    expect(hostile.ok && hostile.view.html).not.toMatch(/<script|onerror/);

    const tooLong = await quietPost(p, { kind: "hub", key: hub.slug }, "x".repeat(MAX_MESSAGE_CHARS + 1));
    expect(tooLong).toMatchObject({ ok: false, status: 400, message: expect.stringContaining("at most 4,000 characters") });
    expect(await quietPost(p, { kind: "hub", key: hub.slug }, "   ")).toMatchObject({ ok: false, status: 400 });
    expect((await threadForPage("hub", hub.slug, p))!.messages).toHaveLength(4);
  });

  it("catch-up returns exactly the messages after a number, in order", async () => {
    const hub = await makeHub();
    const p = actor(await makePerson());
    for (let i = 1; i <= 7; i++) await quietPost(p, { kind: "hub", key: hub.slug }, `m${i}`);
    const { threadId } = (await threadForPage("hub", hub.slug, p))!;
    expect((await readMessages(threadId, { afterSeq: 4 })).map((m) => m.body)).toEqual(["m5", "m6", "m7"]);
    expect(await readMessages(threadId, { afterSeq: 7 })).toEqual([]);
  });

  it("catch-up by change number also returns messages edited or taken down since", async () => {
    const hub = await makeHub();
    const p = actor(await makePerson());
    const posted = [];
    for (let i = 1; i <= 4; i++) posted.push(await quietPost(p, { kind: "hub", key: hub.slug }, `c${i}`));
    const { threadId, messages } = (await threadForPage("hub", hub.slug, p))!;
    const seen = Math.max(...messages.map((m) => m.changeNo));
    const first = posted[0].ok ? posted[0].view.id : "";
    const third = posted[2].ok ? posted[2].view.id : "";
    await editMessage(p, first, "c1, corrected");
    await deleteMessage(p, third);
    await quietPost(p, { kind: "hub", key: hub.slug }, "c5");
    expect((await readMessages(threadId, { afterChange: seen })).map((m) => [m.seq, m.state, m.body])).toEqual([
      [1, "visible", "c1, corrected"],
      [3, "deleted", ""],
      [5, "visible", "c5"],
    ]);
  });

  it("authors edit and delete their own; others cannot", async () => {
    const hub = await makeHub();
    const author = actor(await makePerson());
    const other = actor(await makePerson());
    const posted = await quietPost(author, { kind: "hub", key: hub.slug }, "First draft");
    if (!posted.ok) throw new Error(posted.message);
    const id = posted.view.id;
    expect(await editMessage(other, id, "Hijacked")).toMatchObject({ ok: false, status: 403 });
    expect(await deleteMessage(other, id)).toMatchObject({ ok: false, status: 403 });
    const edited = await editMessage(author, id, "Second *draft*");
    expect(edited).toMatchObject({ ok: true, view: { body: "Second *draft*", editedAt: expect.any(String) } });
    // On the page, the Markdown source (for the edit box) reaches its author only; others read the HTML.
    const bodyFor = async (who: typeof author | null) => (await threadForPage("hub", hub.slug, who))!.messages.map((m) => [m.body, m.html]);
    expect(await bodyFor(author)).toEqual([["Second *draft*", "<p>Second <em>draft</em></p>\n"]]);
    expect(await bodyFor(other)).toEqual([["", "<p>Second <em>draft</em></p>\n"]]);
    expect(await bodyFor(null)).toEqual([["", "<p>Second <em>draft</em></p>\n"]]);
    const deleted = await deleteMessage(author, id);
    expect(deleted).toMatchObject({ ok: true, view: { state: "deleted", html: "", body: "" } });
    expect(await editMessage(author, id, "Back again")).toMatchObject({ ok: false, status: 409 });
    // The number stays taken: the next message is 2.
    expect(await quietPost(author, { kind: "hub", key: hub.slug }, "Next")).toMatchObject({ ok: true, view: { seq: 2 } });
  });

  it("reports reach the thread's moderators, who remove the message or dismiss the reports", async () => {
    const community = await makeCommunity();
    const facilitator = actor(community.facilitator);
    const author = await member(community.id);
    const reporter = await member(community.id);
    const bystander = await member(community.id);
    const target = { kind: "community", key: community.slug };
    const a = await quietPost(author, target, "Something unkind");
    const b = await quietPost(author, target, "Something fine");
    if (!a.ok || !b.ok) throw new Error("post failed");
    expect(await reportMessage(reporter, a.view.id, "Unkind")).toMatchObject({ ok: true, message: expect.stringContaining("moderators") });
    expect(await reportMessage(reporter, a.view.id, "Again")).toMatchObject({ ok: true, message: "You have already reported this message." });
    expect(await reportMessage(author, a.view.id, "")).toMatchObject({ ok: false, status: 400 });
    await reportMessage(reporter, b.view.id, "Not sure");

    expect(await moderationQueue(bystander)).toEqual([]);
    const queue = await moderationQueue(facilitator);
    expect(queue.map((q) => [q.message.id, q.reasons])).toEqual([
      [a.view.id, ["Unkind"]],
      [b.view.id, ["Not sure"]],
    ]);
    expect(await removeMessage(bystander, a.view.id)).toMatchObject({ ok: false, status: 403 });
    expect(await removeMessage(facilitator, a.view.id)).toMatchObject({ ok: true, view: { state: "removed", html: "" } });
    expect(await dismissReports(facilitator, b.view.id)).toMatchObject({ ok: true });
    expect(await moderationQueue(facilitator)).toEqual([]);
    const admin = actor(await makePerson(), { roles: ["admin"] });
    expect(await moderationQueue(admin)).toEqual([]);
    const page = await threadForPage("community", community.slug, bystander);
    expect(page!.messages.map((m) => m.state)).toEqual(["removed", "visible"]);
  });

  it("a person may post 10 messages in 10 seconds; the 11th is refused with a clear message", async () => {
    const hub = await makeHub();
    const p = actor(await makePerson());
    await resetLimit("thread_post", p.id);
    for (let i = 0; i < 10; i++) expect((await postMessage(p, { kind: "hub", key: hub.slug }, `n${i}`)).ok).toBe(true);
    const refused = await postMessage(p, { kind: "hub", key: hub.slug }, "one too many");
    expect(refused).toMatchObject({ ok: false, status: 429, message: expect.stringContaining("faster than 10 messages in 10 seconds") });
    expect((await threadForPage("hub", hub.slug, p))!.messages).toHaveLength(10);
  });
});

describe("your data", () => {
  it("export covers a person's messages; deleting the account signs them 'a former member'", async () => {
    const hub = await makeHub();
    const p = await makePerson();
    await quietPost(actor(p), { kind: "hub", key: hub.slug }, "My contribution");
    const exported = (await exportUserData(p.id)) as { threadMessages: { body: string }[] };
    expect(exported.threadMessages.map((m) => m.body)).toEqual(["My contribution"]);
    expect((await deleteAccount({ userId: p.id, password: p.password })).ok).toBe(true);
    const page = await threadForPage("hub", hub.slug, null);
    // The message stays, signed 'a former member'; readers get its HTML (the Markdown source goes only to an author).
    expect(page!.messages.map((m) => [m.authorName, m.authorId, m.html])).toEqual([["a former member", null, "<p>My contribution</p>\n"]]);
  });
});

describe("numbers under concurrency", () => {
  async function burst(guardOff: boolean) {
    const hub = await makeHub();
    const people = await Promise.all(Array.from({ length: 10 }, async () => actor(await makePerson())));
    const results = await withControls({ rateLimitsOff: true, guardsOff: guardOff ? ["thread-numbers"] : [] }, () =>
      Promise.all(Array.from({ length: 60 }, (_, i) => postMessage(people[i % 10], { kind: "hub", key: hub.slug }, `burst ${i}`).catch(() => null))),
    );
    const { threadId } = (await threadForPage("hub", hub.slug, null))!;
    return { results, seqs: (await readMessages(threadId, { afterSeq: 0 })).map((m) => m.seq) };
  }

  it("60 concurrent posts get the numbers 1 to 60, once each", async () => {
    const { results, seqs } = await burst(false);
    expect(results.every((r) => r?.ok)).toBe(true);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  // Control run: numbering by "the highest so far, plus one" without the thread's row lock
  // loses posts to the unique constraint (Postgres only: PGlite has one connection).
  it.runIf(testDatabaseKind() === "postgres")("control: without the row lock, concurrent posts collide", async () => {
    const { results, seqs } = await burst(true);
    expect(results.filter((r) => !r?.ok).length).toBeGreaterThan(0);
    expect(seqs.length).toBeLessThan(60);
  });
});

describe("a thread held too long", () => {
  // Postgres only: PGlite has one connection, so nothing can hold a lock another waits for.
  it.runIf(testDatabaseKind() === "postgres")("a post answers 'busy, try again' (503) and nothing is posted", async () => {
    const hub = await makeHub();
    const p = actor(await makePerson());
    expect(await quietPost(p, { kind: "hub", key: hub.slug }, "first")).toMatchObject({ ok: true });
    const { threadId } = (await threadForPage("hub", hub.slug, null))!;
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db.transaction(async (tx) => {
      await tx.select().from(schema.threads).where(eq(schema.threads.id, threadId)).for("update");
      locked();
      await held;
    });
    await isLocked;
    const result = await quietPost(p, { kind: "hub", key: hub.slug }, "second");
    release();
    await holder;
    expect(result).toEqual({ ok: false, status: 503, message: BUSY_MESSAGE });
    expect((await readMessages(threadId, { afterSeq: 0 })).map((m) => m.body)).toEqual(["first"]);
  });
});
