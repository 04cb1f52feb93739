import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, type RunningServer, runServerToExit, startServer } from "../fixtures/server";

// Links that stay home, a proxy's Host that does not matter, the development mailbox for
// this machine only, personal pages never cached, sessions that end 30 days after login.

let open: RunningServer; // no APP_URL (development rules), with test fixtures
let pinned: RunningServer; // APP_URL set
const APP_URL = "https://convene.test";

beforeAll(async () => {
  [open, pinned] = await Promise.all([startServer({ NODE_ENV: "test", SEED_DEMO: "1" }), startServer({ NODE_ENV: "test", SEED_DEMO: "1", APP_URL })]);
}, 120_000);
afterAll(async () => {
  await open?.stop();
  await pinned?.stop();
});

const fixture = async <T>(server: RunningServer, path: string, body: unknown): Promise<T> => {
  const res = await fetch(`${server.url}/__test${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(await res.text());
  return (await res.json()) as T;
};
const sql = async <T>(server: RunningServer, text: string) => (await fixture<{ rows: T[] }>(server, "/sql", { sql: text })).rows;

/** A request with exactly these headers (fetch will not let a test set Host). */
function raw(
  server: RunningServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(server.url + path, { method, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function resetLinkAfter(server: RunningServer, host: string, origin: string) {
  const email = `reset-${Math.random().toString(36).slice(2, 8)}@example.org`;
  await fixture(server, "/person", { name: "Reset Me", email });
  const res = await raw(
    server,
    "POST",
    "/forgot-password",
    { host, origin, "content-type": "application/x-www-form-urlencoded" },
    `email=${encodeURIComponent(email)}`,
  );
  expect(res.status).toBeLessThan(400);
  const [mail] = await sql<{ text: string }>(server, `select text from email_outbox where to_address = '${email}' order by created_at desc limit 1`);
  return mail.text.match(/https?:\/\/[^\s/]+\/reset-password\/\S+/)?.[0] ?? "";
}

describe("links stay home", () => {
  it("with APP_URL set, a reset link carries APP_URL's origin whatever Host was sent", async () => {
    const link = await resetLinkAfter(pinned, "evil.example", APP_URL);
    expect(link.startsWith(`${APP_URL}/reset-password/`)).toBe(true);
  });

  it("without APP_URL, only a loopback Host is believed: a forged Host cannot reach an emailed link", async () => {
    const port = new URL(open.url).port;
    const link = await resetLinkAfter(open, "evil.example", `http://localhost:${port}`);
    expect(link.startsWith(`http://localhost:${port}/reset-password/`)).toBe(true);
    const own = await resetLinkAfter(open, `127.0.0.1:${port}`, open.url);
    expect(own.startsWith(`${open.url}/reset-password/`)).toBe(true);
  });

  it("behind a proxy that forwards its own Host, a form post still works (Remix sees the public host)", async () => {
    const email = `proxied-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const res = await raw(
      pinned,
      "POST",
      "/signup",
      { host: "127.0.0.1:3000", "x-forwarded-host": "backend.internal", origin: APP_URL, "content-type": "application/x-www-form-urlencoded" },
      `name=Proxied+Person&email=${encodeURIComponent(email)}&password=a+long+enough+password`,
    );
    expect(res.status).toBe(302);
  });

  it("production refuses to start without APP_URL, or without SESSION_SECRET, in one line each", async () => {
    const noUrl = await runServerToExit({ NODE_ENV: "production", SESSION_SECRET: "a-test-secret-of-enough-length", DATA_DIR: "/tmp/convene-never-opened" });
    expect(noUrl.code).not.toBe(0);
    expect(noUrl.output.trim().split("\n")).toHaveLength(1);
    expect(noUrl.output).toMatch(/APP_URL must be set in production/);
    const noSecret = await runServerToExit({ NODE_ENV: "production", APP_URL, DATA_DIR: "/tmp/convene-never-opened" });
    expect(noSecret.code).not.toBe(0);
    expect(noSecret.output).toMatch(/SESSION_SECRET must be set in production/);
  });

  it("refuses to start with a test-only switch set outside tests, naming it", async () => {
    const run = await runServerToExit({ NODE_ENV: "development", TEST_DELIVERY_ROOM_ONLY: "1", DATA_DIR: "/tmp/convene-never-opened" });
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/TEST_DELIVERY_ROOM_ONLY is for tests only/);
  });
});

describe("the development mailbox", () => {
  it("answers this machine, and nobody through a proxy", async () => {
    expect((await raw(open, "GET", "/dev/mail", {})).status).toBe(200);
    expect((await raw(open, "GET", "/dev/mail", { "x-forwarded-for": "203.0.113.9" })).status).toBe(404);
  });
});

describe("personal pages and sessions", () => {
  it("a signed-in page is private, no-store; a public page is not", async () => {
    const email = `cache-${Math.random().toString(36).slice(2, 8)}@example.org`;
    await fixture(open, "/person", { name: "Cache Check", email });
    const { cookie } = await fixture<{ cookie: string }>(open, "/session", { email });
    const me = await raw(open, "GET", "/me", { cookie });
    expect(me.status).toBe(200);
    expect(me.headers["cache-control"]).toBe("private, no-store");
    const events = await raw(open, "GET", "/events", { cookie });
    expect(events.headers["cache-control"]).toBe("private, no-store");
    expect((await raw(open, "GET", "/events", {})).headers["cache-control"] ?? "").not.toContain("no-store");
    // Pages reached by an emailed token are private too.
    expect((await raw(open, "GET", "/sign-in/not-a-real-token", {})).headers["cache-control"]).toBe("private, no-store");
  });

  it("a session ends 30 days after its login, however active it has been", async () => {
    const email = `old-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const { id } = await fixture<{ id: string }>(open, "/person", { name: "Long Session", email });
    const { cookie } = await fixture<{ cookie: string }>(open, "/session", { email });
    expect((await raw(open, "GET", "/me", { cookie })).status).toBe(200);
    // Still sliding (expires in the future), but made 31 days ago.
    await sql(open, `update sessions set created_at = now() - interval '31 days', expires_at = now() + interval '20 days' where user_id = '${id}'`);
    const after = await raw(open, "GET", "/me", { cookie });
    expect(after.status).toBe(302);
    expect(after.headers.location).toMatch(/^\/login/);
    expect(await sql(open, `select id from sessions where user_id = '${id}'`)).toEqual([]);
  });
});

describe("one rendering shared by members who stand alike, never by members who do not", () => {
  const server = {
    get url() {
      return open.url;
    },
    get origin() {
      return open.origin;
    },
  } as RunningServer;
  const member = async (name: string, roles: string[] = []) => {
    const email = `${name.toLowerCase()}-${Date.now().toString(36)}@render.test`;
    await fixture(open, "/person", { name, email, roles });
    return (await fixture<{ cookie: string }>(open, "/session", { email })).cookie;
  };
  const page = async (path: string, cookie: string) => {
    const res = await fetch(server.url + path, { headers: { cookie } });
    expect(res.status, path).toBe(200);
    return { html: await res.text(), render: res.headers.get("x-render-cache"), csp: res.headers.get("content-security-policy") ?? "" };
  };
  /** The document without its nonce (each response has its own). */
  const sameDocument = (a: { html: string; csp: string }, b: { html: string; csp: string }) => {
    const nonce = (p: { csp: string }) => /'nonce-([^']+)'/.exec(p.csp)?.[1] ?? "";
    return a.html.split(nonce(a)).join("N") === b.html.split(nonce(b)).join("N");
  };

  it("a registered member's page, an unregistered member's and an admin's each stay theirs; two alike share one", async () => {
    const [aisha, bea, cal, admin] = await Promise.all([member("Aisha"), member("Bea"), member("Cal"), member("Ada", ["admin"])]);
    // An event open for registration, with places left.
    const listing = await (await fetch(`${server.url}/events`)).text();
    let path = "";
    for (const [, slug] of listing.matchAll(/href="\/events\/([a-z0-9-]+)"/g)) {
      if ((await page(`/events/${slug}`, bea)).html.includes(">Register<")) {
        path = `/events/${slug}`;
        break;
      }
    }
    expect(path).not.toBe("");

    // Aisha takes a place: her page says so, and never anyone else's.
    const registered = await post(server, path, { intent: "register" }, { cookie: aisha });
    expect(registered.status, await registered.clone().text()).toBe(302);
    await page(path, aisha);
    const hers = await page(path, aisha);
    expect(hers.html).toContain("Cancel my place");
    expect(hers.render).toBe("hit");

    const beas = await page(path, bea);
    expect(beas.html).not.toContain("Cancel my place");
    expect(beas.html).toContain(">Register<");
    // Cal stands as Bea does (signed in, no place, no role): one rendering serves both.
    const cals = await page(path, cal);
    expect(cals.render).toBe("hit");
    expect(sameDocument(cals, beas)).toBe(true);
    expect(cals.csp).not.toBe(beas.csp);

    // An admin's header has the Admin link; the next member's must not.
    expect((await page(path, admin)).html).toContain('href="/admin"');
    expect((await page(path, cal)).html).not.toContain('href="/admin"');

    // Aisha gives up her place: her next page is rendered afresh, as Bea's is.
    expect((await post(server, path, { intent: "cancel" }, { cookie: aisha })).status).toBe(302);
    const after = await page(path, aisha);
    expect(after.html).not.toContain("Cancel my place");
    expect(sameDocument(after, await page(path, bea))).toBe(true);
  });
});
