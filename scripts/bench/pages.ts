// Benchmark: page speed, signed out and signed in, with 1,000 extra published events in
// the database. For each page, `connections` keep-alive connections for `seconds` (by
// autocannon), and the same against an Express hello world started in a process of its own
// as the floor on this machine.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:pages
//
// Prints, per page: req_per_s, p99_ms, ratio_to_floor, html_gzip_bytes, errors. Signed-in
// pages are those of one member (bench world, scripts/bench/world.ts): registered for the
// event, a member of the community, leading the task, on a hub shaped like the Budget's;
// `signed_in_empty` (the accessibility statement, no data of its own) is the framework's
// own cost per signed-in page, for comparison.
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

async function measure(url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
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

    const signedIn = { cookie: world.cookie };
    const targets = [
      { name: "events", url: `${BASE_URL}/events` },
      { name: "event", url: `${BASE_URL}/events/${rows[0].slug}` },
      { name: "signed_in_events", url: `${BASE_URL}/events`, headers: signedIn },
      { name: "signed_in_event", url: `${BASE_URL}/events/${world.eventSlug}`, headers: signedIn },
      { name: "signed_in_community", url: `${BASE_URL}/communities/${world.communitySlug}`, headers: signedIn },
      { name: "signed_in_task", url: `${BASE_URL}${world.taskPath}`, headers: signedIn },
      { name: "signed_in_hub", url: `${BASE_URL}/hubs/${world.hubSlug}`, headers: signedIn },
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
      await autocannon({ url: t.url, connections: CONNECTIONS, duration: WARMUP_SECONDS, headers: t.headers }); // warm-up (JIT, pools), not counted
      const r = await measure(t.url, t.headers);
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
