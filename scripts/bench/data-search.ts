// Benchmark: the data catalogue's search, signed in, with 20,000 sources and 5,000 gaps in
// the database. 50 keep-alive connections cycle through mixed facet and text searches of
// /data for 10 s (autocannon), each request signed in as the next of 200 members who stand
// alike (scripts/bench/world.ts); the floor is the pages benchmark's Express hello world in a
// process of its own. Then the search itself (the model's SQL, `searchSources`) is timed
// from this process, one query at a time, over the same mix.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:data-search
//
// Prints req_per_s, p99_ms, ratio_to_floor, errors, query_p50_ms and query_p99_ms.
import { performance } from "node:perf_hooks";
import { like, sql } from "drizzle-orm";
import { DataSearchParams } from "../../app/forms/data.server";
import { searchSources } from "../../app/models/data-sources.server";
import { newId } from "../../app/utils/crypto.server";
import { useDatabaseHandle as installDatabaseHandle } from "../../app/utils/db.server";
import * as schema from "../../db/schema";
import { BASE_URL, cannon, connect, measureFloor, pct, round, run } from "./common";
import { buildBenchWorld } from "./world";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SOURCES = Number(process.env.BENCH_SOURCES ?? 20_000);
const GAPS = Number(process.env.BENCH_GAPS ?? 5_000);
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 400);

const TOPICS = ["income", "housing", "food", "energy", "debt", "benefits", "disability", "children", "employment", "health", "transport", "care"];
const PLACES = ["England", "Scotland", "Wales", "Northern Ireland", "the North East", "London", "Yorkshire", "the Midlands", "rural areas", "coastal towns"];
const KINDS = ["Survey", "Statistics", "Panel study", "Administrative data", "Index", "Tracker"];
const LEVELS = schema.PLACE_LEVELS;
const BREAKDOWNS = schema.BREAKDOWNS;

/** The mix of searches a busy day brings: words, misspellings, facets, and both together. */
const SEARCHES: Record<string, string>[] = [
  { q: "food" },
  { q: "Familly Resources" },
  { q: "housing survey" },
  { q: "disability benefits" },
  { q: "Scotland" },
  { level: "local_authority" },
  { breakdown: "disability" },
  { access: "safeguarded" },
  { q: "income", level: "region" },
  { q: "energy", breakdown: "tenure" },
  { q: "childrn" },
  { level: "small_area", breakdown: "age", access: "open" },
  {},
  { q: '"cost of living" -London' },
  { q: "%_" },
];

async function main() {
  const handle = await connect();
  const { db } = handle;
  const tag = `bench-data-${Date.now().toString(36)}`;
  const world = await buildBenchWorld(db, tag);
  try {
    const rows = Array.from({ length: SOURCES }, (_, i) => {
      const topic = TOPICS[i % TOPICS.length];
      const place = PLACES[(i * 7) % PLACES.length];
      return {
        id: newId(),
        slug: `${tag}-${i}`,
        name: `${topic[0].toUpperCase()}${topic.slice(1)} ${KINDS[i % KINDS.length]} of ${place} ${i}`,
        publisher: `Bench publisher ${i % 300}`,
        measures: `How ${topic} varies across households in ${place}, with figures for each year since ${1990 + (i % 30)}.`,
        topics: [topic, TOPICS[(i + 3) % TOPICS.length]],
        coverage: place,
        placeLevels: LEVELS.filter((_, j) => (i + j) % 3 === 0),
        breakdowns: BREAKDOWNS.filter((_, j) => (i * 3 + j) % 4 === 0),
        access: (["open", "safeguarded", "secure"] as const)[i % 3],
        status: "published" as const,
      };
    });
    for (let i = 0; i < rows.length; i += 1000) await db.insert(schema.dataSources).values(rows.slice(i, i + 1000));
    const gaps = Array.from({ length: GAPS }, (_, i) => ({
      id: `${tag}-gap-${i}`,
      question: `How many people in ${PLACES[i % PLACES.length]} go without ${TOPICS[i % TOPICS.length]}? (${i})`,
      kind: (["thematic", "geographic", "demographic"] as const)[i % 3],
      groups: [schema.GAP_GROUPS[i % schema.GAP_GROUPS.length]],
      endorsements: i % 17,
    }));
    for (let i = 0; i < gaps.length; i += 1000) await db.insert(schema.dataGaps).values(gaps.slice(i, i + 1000));
    await db.execute(sql`analyze`);

    const paths = SEARCHES.map((s) => `/data?${new URLSearchParams(s).toString()}`);
    const headers = { cookie: world.cookie };
    for (const path of paths) {
      const res = await fetch(`${BASE_URL}${path}`, { headers });
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      if (!(await res.text()).includes("Log out")) throw new Error(`${path} is not signed in`);
    }
    const f = await measureFloor(CONNECTIONS, SECONDS);
    console.log(`floor_req_per_s: ${round(f.rps)}`);
    // Each request signs in as the next of the bench world's crowd of members who stand alike.
    const cookies = world.crowdCookies;
    await cannon({ url: BASE_URL, connections: CONNECTIONS, seconds: 3, headers, paths, cookies }); // warm-up
    const r = await cannon({ url: BASE_URL, connections: CONNECTIONS, seconds: SECONDS, headers, paths, cookies });
    console.log(`data_search_req_per_s: ${round(r.rps)}`);
    console.log(`data_search_p99_ms: ${round(r.p99)}`);
    console.log(`data_search_ratio_to_floor: ${Math.round((r.rps / f.rps) * 1000) / 1000}`);
    console.log(`data_search_errors: ${r.errors}`);

    // The search itself: the model's query, one at a time, as the page runs it for a member.
    installDatabaseHandle(handle);
    const who = { id: world.viewer.id, roles: [] as string[] };
    const times: number[] = [];
    for (let i = 0; i < QUERY_RUNS; i++) {
      const f = DataSearchParams.parse(SEARCHES[i % SEARCHES.length]);
      const t0 = performance.now();
      await searchSources(f, who);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`query_p50_ms: ${round(pct(times, 50))}`);
    console.log(`query_p99_ms: ${round(pct(times, 99))}`);
  } finally {
    // BENCH_KEEP=1 leaves the rows in place, to read the plans (EXPLAIN ANALYZE) afterwards.
    if (process.env.BENCH_KEEP !== "1") {
      await db.delete(schema.dataGaps).where(like(schema.dataGaps.id, `${tag}-gap-%`));
      await db.delete(schema.dataSources).where(like(schema.dataSources.slug, `${tag}-%`));
      await world.remove();
    }
    await handle.close();
  }
}

run(main);
