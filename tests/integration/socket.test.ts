import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { endOtherSessions } from "../../app/auth/session.server";
import { notify, people } from "../../app/models/notifications.server";
import { logIn } from "../../app/models/users.server";
import { inTransaction } from "../../app/utils/locks.server";
import { makePerson } from "../fixtures/people";
import { type Client, openSocket, startSocketServer } from "../fixtures/sockets";

// Socket.io on a real HTTP server with the real handshake: Origin checked, session read
// from the cookie, and sockets of an ended session disconnected.
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url, close } = await startSocketServer());
});
afterAll(() => close());

const open = (headers: Record<string, string>) => openSocket(url, headers);
const whoami = (s: Client) => s.timeout(5000).emitWithAck("whoami") as Promise<{ user: { id: string; name: string } | null }>;

async function sessionCookie() {
  const p = await makePerson({ name: "Sock Et" });
  const r = await logIn({ email: p.email, password: p.password, ip: "127.0.0.9", userAgent: "vitest" });
  if (!r.ok) throw new Error("login failed");
  return { person: p, cookie: r.cookie.split(";")[0] };
}

describe("socket handshake", () => {
  it("knows the signed-in person from the session cookie", async () => {
    const { person, cookie } = await sessionCookie();
    const s = await open({ origin: url, cookie });
    expect((await whoami(s)).user).toEqual({ id: person.id, name: "Sock Et" });
    s.close();
  });

  it("a visitor without a session connects anonymously", async () => {
    const s = await open({ origin: url });
    expect((await whoami(s)).user).toBeNull();
    s.close();
  });

  it("refuses a handshake from another origin, or with no origin", async () => {
    const { cookie } = await sessionCookie();
    await expect(open({ origin: "https://evil.example", cookie })).rejects.toThrow();
    await expect(open({ cookie })).rejects.toThrow();
  });

  it("a session ended elsewhere disconnects its sockets", async () => {
    const { person, cookie } = await sessionCookie();
    const s = await open({ origin: url, cookie });
    const disconnected = new Promise<string>((r) => s.once("disconnect", (reason) => r(reason)));
    await endOtherSessions(person.id, null);
    expect(await disconnected).toBe("io server disconnect");
  });
});

describe("the live unread count", () => {
  const note = (n: number) => ({
    kind: "events" as const,
    subjectKey: `socket-test:${n}:${Math.random()}`,
    spaceKind: "event" as const,
    spaceTitle: "S",
    text: `News ${n}`,
    path: "/events",
  });

  it("moves for the person notified, and only theirs; a socket that connects later is told the count as it is", async () => {
    const a = await sessionCookie();
    const b = await sessionCookie();
    const heardA: number[] = [];
    const heardB: number[] = [];
    const sa = await openSocket(url, { origin: url, cookie: a.cookie }, (s) => s.on("notifications:unread", ({ count }) => heardA.push(count)));
    const sb = await openSocket(url, { origin: url, cookie: b.cookie }, (s) => s.on("notifications:unread", ({ count }) => heardB.push(count)));
    // Each is told its count on connecting: none yet.
    await vi.waitFor(() => expect([heardA, heardB]).toEqual([[0], [0]]));
    await inTransaction((tx) => notify(tx, people([a.person.id]), note(1)));
    await vi.waitFor(() => expect(heardA).toContain(1));
    expect(heardB.filter((n) => n > 0)).toEqual([]);
    sa.close();
    // Written while A has no socket open: A's next connection hears 2 at once.
    await inTransaction((tx) => notify(tx, people([a.person.id]), note(2)));
    const heardAgain: number[] = [];
    const again = await openSocket(url, { origin: url, cookie: a.cookie }, (s) => s.on("notifications:unread", ({ count }) => heardAgain.push(count)));
    // Told on connecting (and, if it connected before that broadcast went out, by the
    // broadcast as well): 2 either way, never a stale count.
    await vi.waitFor(() => expect(heardAgain).toContain(2));
    expect(heardAgain.every((n) => n === 2)).toBe(true);
    again.close();
    sb.close();
  });
});
