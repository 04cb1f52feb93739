import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endOtherSessions } from "../../app/auth/session.server";
import { logIn } from "../../app/models/users.server";
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
