// Benchmark: page speed, signed out and signed in, with 1,000 extra published events in
// the database. For each page, `connections` keep-alive connections for `seconds` (by
// autocannon), and the same against an Express hello world started in a process of its own
// as the floor on this machine.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:pages
//
// Prints, per page: req_per_s, p99_ms, ratio_to_floor, html_gzip_bytes, errors. Signed-in
// pages are read by a crowd of 200 members who stand alike (scripts/bench/world.ts: in the
// community, a place at the events, on a hub shaped like the Budget's, leading nothing),
// each request signed in as the next of them; `signed_in_hub_busy` is the hub while a
// process of its own commits ten writes a second elsewhere (every commit ends the reads
// shared between requests: app/utils/request-memo.server.ts); `signed_in_empty` (the
// accessibility statement, no data of its own) is the framework's own cost per signed-in
// page, for comparison.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { like, sql } from "drizzle-orm";
import { renderPendingMarkdown } from "../../app/models/rendered-text.server";
import { newId } from "../../app/utils/crypto.server";
import * as schema from "../../db/schema";
import { BASE_URL, connect, round, run } from "./common";
import { buildBenchWorld } from "./world";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const EVENTS = 1000;
const ONLY = process.env.BENCH_PAGES ? new Set(process.env.BENCH_PAGES.split(",")) : null;

/** `cookies`: each request signs in as the next of them in turn. */
async function measure(url: string, headers: Record<string, string> = {}, cookies: string[] = [], seconds = SECONDS) {
  let n = 0;
  const requests = cookies.length
    ? [{ setupRequest: (req: { headers?: Record<string, string> }) => ({ ...req, headers: { ...req.headers, cookie: cookies[n++ % cookies.length] } }) }]
    : undefined;
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers, requests } as autocannon.Options);
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

/**
 * A writer in a process of its own: `perSecond` committed writes a second (an event's
 * summary set to itself: a real commit, which is what ends every shared read's snapshot),
 * as a busy day's claims, posts and registrations elsewhere on the site would.
 */
function writer(perSecond: number, slug: string) {
  const code = `
    const pg = require("pg");
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    c.connect().then(() => setInterval(() => c.query("update events set summary = summary where slug = $1", [${JSON.stringify(slug)}]).catch(() => {}), ${Math.round(1000 / perSecond)}));
  `;
  return spawn(process.execPath, ["-e", code], { stdio: "ignore", env: process.env });
}

/** The floor: a hello world in a child process, measured by the same generator. */
async function floor() {
  const child = spawn(process.execPath, [new URL("./floor.mjs", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    const port = /listening (\d+)/.exec(line.toString())?.[1];
    if (!port) throw new Error(`the floor server did not start: ${line}`);
    await measure(`http://127.0.0.1:${port}/`); // warm-up
    return await measure(`http://127.0.0.1:${port}/`);
  } finally {
    child.kill();
  }
}

async function main() {
  const handle = await connect();
  const { db } = handle;
  const tag = `bench-page-${Date.now().toString(36)}`;
  const world = await buildBenchWorld(db, tag);
  try {
    const rows = Array.from({ length: EVENTS }, (_, i) => {
      const startsAt = new Date(Date.now() + (1 + i / 10) * 86_400_000);
      return {
        id: newId(),
        slug: `${tag}-${i}`,
        kind: "webinar" as const,
        title: `Benchmark webinar ${i}: poverty data in practice`,
        summary: "A realistic summary of a webinar about poverty data and what it tells us.",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
        capacity: 100,
        state: "published" as const,
        joinUrl: "https://meet.example.org/bench",
      };
    });
    for (let i = 0; i < rows.length; i += 250) await db.insert(schema.events).values(rows.slice(i, i + 250));
    await renderPendingMarkdown(db as never);
    await db.execute(sql`analyze`);

    const signedIn = { cookie: world.crowdCookies[0] };
    const crowd = world.crowdCookies;
    const targets = [
      { name: "events", url: `${BASE_URL}/events` },
      { name: "event", url: `${BASE_URL}/events/${rows[0].slug}` },
      { name: "signed_in_events", url: `${BASE_URL}/events`, headers: signedIn },
      { name: "signed_in_event", url: `${BASE_URL}/events/${world.eventSlug}`, headers: signedIn },
      { name: "signed_in_community", url: `${BASE_URL}/communities/${world.communitySlug}`, headers: signedIn },
      { name: "signed_in_task", url: `${BASE_URL}${world.taskPath}`, headers: signedIn },
      { name: "signed_in_hub", url: `${BASE_URL}/hubs/${world.hubSlug}`, headers: signedIn },
      // The hub while the site is busy elsewhere: ten commits a second end every shared read.
      { name: "signed_in_hub_busy", url: `${BASE_URL}/hubs/${world.hubSlug}`, headers: signedIn, writesPerSecond: 10 },
      // No target: a page with no data of its own (the accessibility statement), signed in
      // so that it is rendered every time: what the framework alone costs per page.
      { name: "signed_in_empty", url: `${BASE_URL}/accessibility`, headers: signedIn },
    ].filter((t) => !ONLY || ONLY.has(t.name));

    const f = await floor();
    console.log(`floor_req_per_s: ${round(f.rps)}`);
    console.log(`floor_p99_ms: ${round(f.p99)}`);
    for (const t of targets) {
      const res = await fetch(t.url, { headers: t.headers });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`${t.url} answered ${res.status}`);
      if (t.headers && !html.includes("Log out")) throw new Error(`${t.url} is not signed in`);
      const cookies = t.headers ? crowd : [];
      await measure(t.url, t.headers, cookies, WARMUP_SECONDS); // warm-up (JIT, pools), not counted
      const busy = "writesPerSecond" in t && t.writesPerSecond ? writer(t.writesPerSecond, rows[EVENTS - 1].slug) : null;
      const r = await measure(t.url, t.headers, cookies).finally(() => busy?.kill());
      console.log(`${t.name}_req_per_s: ${round(r.rps)}`);
      console.log(`${t.name}_p99_ms: ${round(r.p99)}`);
      console.log(`${t.name}_ratio_to_floor: ${Math.round((r.rps / f.rps) * 1000) / 1000}`);
      console.log(`${t.name}_html_gzip_bytes: ${gzipSync(html).length}`);
      console.log(`${t.name}_errors: ${r.errors}`);
    }
  } finally {
    await db.delete(schema.events).where(like(schema.events.slug, `${tag}-%`));
    await world.remove();
    await handle.close();
  }
}

run(main);
