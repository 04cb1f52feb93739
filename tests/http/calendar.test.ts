import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCalendar } from "../fixtures/ical";
import { post, type RunningServer, startServer } from "../fixtures/server";

// The calendar endpoints of the real built server, read with ical.js as a calendar would.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ SEED_DEMO: "1" });
});
afterAll(() => server?.stop());

const sessionCookie = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith("convene_session="))!
    .split(";")[0];
const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });
const logIn = async (email: string) => sessionCookie(await post(server, "/login", { email, password: "convene-demo-pass" }));

const PUBLIC_ENDPOINTS = [
  "/calendar.ics",
  "/events/budget-day-briefing/calendar.ics",
  "/communities/micro-simulation-of-poverty/calendar.ics",
  "/hubs/autumn-budget/calendar.ics",
];

async function makeFeed(cookie: string): Promise<string> {
  const res = await post(server, "/me/calendar", { intent: "regenerate" }, { cookie });
  expect(res.status).toBe(200);
  const html = await res.text();
  // Shown once, in full, in a read-only box on the page.
  const url = /(http[^"<\s]+\/feeds\/[A-Za-z0-9_-]+\/calendar\.ics)/.exec(html)?.[1];
  expect(url, "the new feed address is shown").toBeTruthy();
  return new URL(url!).pathname;
}

describe("calendar endpoints", () => {
  it("every public endpoint answers text/calendar that ical.js reads, without any joining link", async () => {
    for (const path of PUBLIC_ENDPOINTS) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toBe("text/calendar; charset=utf-8");
      const text = await res.text();
      expect(parseCalendar(text).vevents.length, path).toBeGreaterThan(0);
      expect(text, path).not.toContain("meet.convene.example");
    }
  });

  it("the seeded series is one VEVENT with RRULE and its moved session as an override", async () => {
    const cal = parseCalendar(await (await get("/calendar.ics")).text());
    const series = cal.vevents.filter((v) => String(v.getFirstPropertyValue("summary")).startsWith("Micro-simulation methods"));
    expect(series.filter((v) => v.hasProperty("rrule"))).toHaveLength(1);
    expect(series.filter((v) => v.hasProperty("recurrence-id"))).toHaveLength(1);
    expect(cal.occurrences().filter((o) => o.summary.startsWith("Micro-simulation methods"))).toHaveLength(4);
  });

  it("a hub's feed carries its moment; a private community's feed is 404 to outsiders", async () => {
    const cal = parseCalendar(await (await get("/hubs/autumn-budget/calendar.ics")).text());
    expect(cal.occurrences().some((o) => o.allDayDate && o.summary.includes("Budget"))).toBe(true);
    expect((await get("/communities/lived-experience-panels/calendar.ics")).status).toBe(404);
    expect((await get("/hubs/no-such-hub/calendar.ics")).status).toBe(404);
  });

  it("feeds send ETag and Cache-Control and answer 304 to a matching If-None-Match", async () => {
    for (const path of ["/calendar.ics", "/hubs/autumn-budget/calendar.ics", "/communities/micro-simulation-of-poverty/calendar.ics"]) {
      const first = await get(path);
      await first.text();
      const etag = first.headers.get("etag")!;
      expect(etag, path).toMatch(/^"[0-9a-f]{32}"$/);
      expect(first.headers.get("cache-control"), path).toContain("max-age");
      const again = await get(path, { "If-None-Match": etag });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe("");
      expect((await get(path, { "If-None-Match": '"something-else"' })).status, path).toBe(200);
    }
  });
});

describe("a person's private feed", () => {
  it("carries joining links; revoking it makes it 404; a regenerated one works and the old one does not", async () => {
    const aisha = await logIn("aisha.rahman@example.org");
    const page = await get("/me/calendar", { cookie: aisha });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("You have no subscription link yet");

    const first = await makeFeed(aisha);
    const res = await get(first);
    expect(res.status).toBe(200);
    const text = await res.text();
    parseCalendar(text);
    expect(text).toContain("https://meet.convene.example/budget-day-briefing");
    const etag = res.headers.get("etag")!;
    expect((await get(first, { "If-None-Match": etag })).status).toBe(304);
    expect(await (await get("/me/calendar", { cookie: aisha })).text()).toContain("Last fetched by a calendar");

    const second = await makeFeed(aisha);
    expect((await get(first)).status).toBe(404);
    expect((await get(second)).status).toBe(200);

    const revoked = await post(server, "/me/calendar", { intent: "revoke" }, { cookie: aisha });
    expect(revoked.status).toBe(302);
    expect((await get(second)).status).toBe(404);
    expect((await get("/feeds/unknown-token-aaaaaaaaaaaaaaaaaaaaa/calendar.ics")).status).toBe(404);
  });

  it("needs a signed-in person to manage, and refuses unknown actions with a message, changing nothing", async () => {
    expect((await fetch(`${server.url}/me/calendar`, { redirect: "manual" })).status).toBe(302);
    const cookie = await logIn("aisha.rahman@example.org");
    const res = await post(server, "/me/calendar", { intent: "explode" }, { cookie });
    // As every other page answers an action it does not know (it once redirected back).
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("That is not something this page can do.");
  });
});

describe("compression", () => {
  const raw = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: import("node:http").IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      import("node:http").then((http) => {
        const req = http.request(server.url + path, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on("error", reject);
        req.end();
      });
    });

  it("a feed and a page come gzipped, decompress to the same bytes, and a matching ETag still gets 304", async () => {
    const { gunzipSync } = await import("node:zlib");
    for (const path of ["/calendar.ics", "/events"]) {
      const plain = await raw(path, { "accept-encoding": "identity" });
      const zipped = await raw(path, { "accept-encoding": "gzip" });
      expect(zipped.headers["content-encoding"], path).toBe("gzip");
      expect(zipped.body.length).toBeLessThan(plain.body.length);
      if (path === "/calendar.ics") {
        expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
        const etag = zipped.headers.etag!;
        expect(etag).toBe(plain.headers.etag);
        expect((await raw(path, { "accept-encoding": "gzip", "if-none-match": etag })).status).toBe(304);
      } else {
        // A page carries a fresh CSP nonce each time: compare its text without them.
        const strip = (b: Buffer) => b.toString("utf8").replace(/nonce="[^"]+"/g, "");
        expect(strip(gunzipSync(zipped.body))).toBe(strip(plain.body));
      }
    }
  });
});
