import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { endSession, validateSessionToken } from "../../app/auth/session.server";
import { leaveCommunity } from "../../app/models/communities.server";
import { claimTask } from "../../app/models/tasks.server";
import { editMessage } from "../../app/models/threads.server";
import { logIn } from "../../app/models/users.server";
import type { JoinThreadReply, MessageView, PostReply } from "../../app/realtime/protocol";
import { db, schema } from "../../app/utils/db.server";
import { resetLimit } from "../../app/utils/rate-limit.server";
import { testControls } from "../../app/utils/test-controls.server";
import { makeCommunity } from "../fixtures/communities";
import { makeHub, makeResearcher, makeTask } from "../fixtures/hubs";
import { makePerson } from "../fixtures/people";
import { type Client, openSocket, startSocketServer } from "../fixtures/sockets";

// Threads and the live board over real Socket.io connections (socket.io-client), with the
// real handshake, against the test database.
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url, close } = await startSocketServer());
});
afterAll(() => close());

const open = (cookie?: string) => openSocket(url, { origin: url, ...(cookie ? { cookie } : {}) });

async function signedIn(opts: { verified?: boolean } = {}) {
  const p = await makePerson({ verified: opts.verified });
  const r = await logIn({ email: p.email, password: p.password, ip: "127.0.0.8", userAgent: "vitest" });
  if (!r.ok) throw new Error("login failed");
  await resetLimit("thread_post", p.id);
  return { person: p, cookie: r.cookie.split(";")[0] };
}

const join = (s: Client, kind: string, key: string, lastSeq?: number) =>
  s.timeout(5000).emitWithAck("thread:join", { kind, key, lastSeq }) as Promise<JoinThreadReply>;
const post = (s: Client, kind: string, key: string, body: string) => s.timeout(5000).emitWithAck("thread:post", { kind, key, body }) as Promise<PostReply>;
const collect = (s: Client) => {
  const got: MessageView[] = [];
  s.on("thread:message", (m) => got.push(m));
  return got;
};
/** Waits for what a socket should hear (retrying the expectation), never for a fixed time. */
const heard = (expectation: () => void) => vi.waitFor(expectation, { timeout: 5000, interval: 20 });

describe("threads over sockets", () => {
  it("posting needs a session: an anonymous reader reads but cannot post", async () => {
    const hub = await makeHub();
    const anon = await open();
    expect(await join(anon, "hub", hub.slug)).toMatchObject({ ok: true, messages: [] });
    expect(await post(anon, "hub", hub.slug, "Hello?")).toMatchObject({ ok: false, message: expect.stringContaining("Log in") });
    const { cookie } = await signedIn({ verified: false });
    const unverified = await open(cookie);
    expect(await post(unverified, "hub", hub.slug, "Hello?")).toMatchObject({ ok: false, message: expect.stringContaining("Confirm your email") });
    anon.close();
    unverified.close();
  });

  it("a message posted by one person reaches everyone in the room, once", async () => {
    const hub = await makeHub();
    const alice = await signedIn();
    const a = await open(alice.cookie);
    const reader = await open();
    await join(a, "hub", hub.slug);
    await join(reader, "hub", hub.slug);
    const got = collect(reader);
    const reply = await post(a, "hub", hub.slug, "Who has the **HBAI** tables?");
    expect(reply).toMatchObject({ ok: true, message: { seq: 1 } });
    await heard(() =>
      expect(got.map((m) => [m.seq, m.authorName, m.html.trim()])).toEqual([[1, alice.person.name, "<p>Who has the <strong>HBAI</strong> tables?</p>"]]),
    );
    a.close();
    reader.close();
  });

  it("a refused room join gets an error event and no messages, then or later", async () => {
    const community = await makeCommunity({ visibility: "private" });
    const member = await signedIn();
    await db.insert(schema.communityMemberships).values({ communityId: community.id, userId: member.person.id, status: "active", joinedAt: new Date() });
    const outsider = await signedIn();
    const o = await open(outsider.cookie);
    const errors: { message: string }[] = [];
    o.on("join:error", (e) => errors.push(e));
    const got = collect(o);
    expect(await join(o, "community", community.slug)).toEqual({ ok: false, message: "We could not find that discussion." });
    const m = await open(member.cookie);
    expect(await join(m, "community", community.slug)).toMatchObject({ ok: true });
    const gotMember = collect(m);
    expect(await post(m, "community", community.slug, "Members only")).toMatchObject({ ok: true });
    // The member's own socket hearing the message is the witness that it went out.
    await heard(() => expect(gotMember.map((x) => x.body)).toEqual(["Members only"]));
    expect(errors).toHaveLength(1);
    expect(got).toEqual([]);
    // A public community's thread: visible page, but members only.
    const open1 = await makeCommunity();
    expect(await join(o, "community", open1.slug)).toMatchObject({ ok: false, message: expect.stringContaining("for its members") });
    o.close();
    m.close();
  });

  it("catch-up after a disconnect returns exactly the missed messages, in order", async () => {
    const hub = await makeHub();
    const alice = await signedIn();
    const bob = await signedIn();
    const a = await open(alice.cookie);
    await join(a, "hub", hub.slug);
    for (const t of ["one", "two"]) await post(a, "hub", hub.slug, t);
    const b1 = await open(bob.cookie);
    const first = await join(b1, "hub", hub.slug);
    expect(first.ok && first.messages.map((m) => m.body)).toEqual(["one", "two"]);
    const lastSeen = first.ok ? first.messages.at(-1)!.seq : 0;
    b1.close();
    for (const t of ["three", "four", "five"]) await post(a, "hub", hub.slug, t);
    const b2 = await open(bob.cookie);
    const caught = await join(b2, "hub", hub.slug, lastSeen);
    expect(caught.ok && caught.messages.map((m) => [m.seq, m.body])).toEqual([
      [3, "three"],
      [4, "four"],
      [5, "five"],
    ]);
    // By change number, an edit made while away comes back too.
    const lastChange = caught.ok ? Math.max(...caught.messages.map((m) => m.changeNo)) : 0;
    b2.close();
    const two = first.ok ? first.messages[1] : null;
    expect((await editMessage({ ...alice.person, emailVerifiedAt: new Date(), roles: [] }, two!.id, "two, edited")).ok).toBe(true);
    await post(a, "hub", hub.slug, "six");
    const b3 = await open(bob.cookie);
    const again = (await b3.timeout(5000).emitWithAck("thread:join", { kind: "hub", key: hub.slug, lastChange })) as JoinThreadReply;
    expect(again.ok && again.messages.map((m) => [m.seq, m.body])).toEqual([
      [2, "two, edited"],
      [6, "six"],
    ]);
    a.close();
    b3.close();
  });

  it("the rate limit holds: the 11th message in 10 seconds is refused", async () => {
    const hub = await makeHub();
    const { cookie } = await signedIn();
    const s = await open(cookie);
    const replies: PostReply[] = [];
    for (let i = 0; i < 11; i++) replies.push(await post(s, "hub", hub.slug, `quick ${i}`));
    expect(replies.slice(0, 10).every((r) => r.ok)).toBe(true);
    expect(replies[10]).toMatchObject({ ok: false, message: expect.stringContaining("faster than 10 messages") });
    s.close();
  });

  it("presence counts people in the room and follows joins and dropped connections", async () => {
    const hub = await makeHub();
    const watcher = await open();
    await join(watcher, "hub", hub.slug);
    const counts: number[] = [];
    watcher.on("presence", (p) => counts.push(p.count));
    const alice = await signedIn();
    const a1 = await open(alice.cookie);
    const a2 = await open(alice.cookie); // the same person in two tabs counts once
    await join(a1, "hub", hub.slug);
    await join(a2, "hub", hub.slug);
    await heard(() => expect(counts.at(-1)).toBe(2));
    a1.close();
    a2.close();
    await heard(() => expect(counts.at(-1)).toBe(1));
    watcher.close();
  });

  it("logging out disconnects that session's sockets", async () => {
    const { person, cookie } = await signedIn();
    const s = await open(cookie);
    const disconnected = new Promise<string>((r) => s.once("disconnect", (reason) => r(reason)));
    const { session } = await validateSessionToken(decodeURIComponent(cookie.split("=")[1]));
    await endSession(session!.id, person.id);
    expect(await disconnected).toBe("io server disconnect");
  });
});

describe("the live board", () => {
  it("a claim appears on an open board at once", async () => {
    const hub = await makeHub();
    const task = await makeTask(hub.id, { title: "Distributional analysis" });
    const viewer = await open();
    expect(await viewer.timeout(5000).emitWithAck("board:join", { hub: hub.slug })).toMatchObject({ ok: true });
    const changes: { taskId: string; kind: string; summary: string }[] = [];
    viewer.on("board:task", (c) => changes.push(c));
    const researcher = await makeResearcher("Board Watcher");
    expect((await claimTask(researcher, task.id, researcher.org.id)).ok).toBe(true);
    await heard(() => expect(changes).toMatchObject([{ taskId: task.id, kind: "claimed", summary: expect.stringContaining("Board Watcher") }]));
    expect(await viewer.timeout(5000).emitWithAck("board:join", { hub: "no-such-hub" })).toMatchObject({ ok: false });
    viewer.close();
  });

  describe("sockets follow permissions", () => {
    /** Two members of a private community in its thread; one leaves; then a message is posted. */
    async function leaveThenPost() {
      const community = await makeCommunity({ visibility: "private" });
      const stays = await signedIn();
      const leaves = await signedIn();
      for (const p of [stays, leaves]) {
        await db.insert(schema.communityMemberships).values({ communityId: community.id, userId: p.person.id, status: "active", joinedAt: new Date() });
      }
      const a = await open(stays.cookie);
      const b = await open(leaves.cookie);
      expect(await join(a, "community", community.slug)).toMatchObject({ ok: true });
      expect(await join(b, "community", community.slug)).toMatchObject({ ok: true });
      const gotA = collect(a);
      const gotB = collect(b);
      expect(await leaveCommunity({ id: leaves.person.id }, community.slug)).toMatchObject({ ok: true });
      expect(await post(a, "community", community.slug, "Said after one of us left")).toMatchObject({ ok: true });
      // The member who stayed hearing it is the witness that it went out.
      await heard(() => expect(gotA.map((m) => m.body)).toEqual(["Said after one of us left"]));
      return {
        gotB,
        close: () => {
          a.close();
          b.close();
        },
      };
    }

    it("someone who leaves a private community hears nothing more from its thread on their still-open socket", async () => {
      const { gotB, close } = await leaveThenPost();
      expect(gotB).toEqual([]);
      close();
    });

    it("control: delivered by room alone, with nobody evicted, the message reaches the person who left", async () => {
      testControls.roomOnlyDelivery = true;
      try {
        const { gotB, close } = await leaveThenPost();
        await heard(() => expect(gotB.map((m) => m.body)).toEqual(["Said after one of us left"]));
        close();
      } finally {
        testControls.roomOnlyDelivery = false;
      }
    });

    it("an edit in a private community's thread reaches members only", async () => {
      const community = await makeCommunity({ visibility: "private" });
      const member = await signedIn();
      await db.insert(schema.communityMemberships).values({ communityId: community.id, userId: member.person.id, status: "active", joinedAt: new Date() });
      const m = await open(member.cookie);
      expect(await join(m, "community", community.slug)).toMatchObject({ ok: true });
      const updates: MessageView[] = [];
      m.on("thread:updated", (u) => updates.push(u));
      const sent = await post(m, "community", community.slug, "First draft");
      if (!sent.ok) throw new Error(sent.message);
      await editMessage({ id: member.person.id, name: "x", emailVerifiedAt: new Date(), roles: [] }, sent.message.id, "Second draft");
      await heard(() => expect(updates.map((u) => u.body)).toEqual(["Second draft"]));
      m.close();
    });
  });
});
