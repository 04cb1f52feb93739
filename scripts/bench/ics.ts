// Benchmark: building calendar feeds, and serving /calendar.ics.
// 1. The median time to build a feed of 1,000 and of 10,000 events in this process
//    (the calendar module alone, with realistic rows; a tenth of them in weekly series).
// 2. With 1,000 published events in the server's database: requests per second for
//    /calendar.ics answered 304 (an ETag hit), answered from the page micro-cache (a plain
//    GET), and built every time (a fresh query string per request, past the micro-cache).
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:ics
import { performance } from "node:perf_hooks";
import { like } from "drizzle-orm";
import { buildCalendar, type SeriesInfo } from "../../app/calendar/ics.server";
import { newId } from "../../app/utils/crypto.server";
import type { Event } from "../../db/schema";
import * as schema from "../../db/schema";
import { BASE_URL, connect, load, round, run } from "./common";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DAY = 86_400_000;

function syntheticEvents(n: number) {
  const now = Date.now();
  const series = new Map<string, SeriesInfo>();
  const events: Event[] = Array.from({ length: n }, (_, i) => {
    const inSeries = i % 10 < 4 && i % 100 < 40; // 40 in each 100 form series of four
    const seriesId = inSeries ? `series-${Math.floor(i / 4)}` : null;
    const startsAt = new Date(Math.floor((now + (1 + i / 10) * DAY) / 60_000) * 60_000);
    const originalStartsAt = seriesId ? startsAt : null;
    if (seriesId) {
      const s = series.get(seriesId) ?? { rrule: "FREQ=WEEKLY;COUNT=4", originals: [] };
      s.originals.push(startsAt);
      series.set(seriesId, s);
    }
    return {
      id: newId(),
      slug: `bench-${i}`,
      kind: "webinar",
      title: `Webinar ${i}: what the poverty statistics say`,
      summary: "A **realistic** summary: poverty data, what it tells us, and [where to read more](https://example.org).",
      description: "",
      descriptionHtml: "",
      descriptionText: "",
      materialsHtml: "",
      startsAt,
      endsAt: new Date(+startsAt + 3_600_000),
      timeZone: "Europe/London",
      capacity: 100,
      registrationOpensAt: null,
      registrationClosesAt: null,
      joinUrl: "https://meet.example.org/bench",
      venue: null,
      accessProvisions: [],
      accessOther: null,
      communityId: null,
      hubId: null,
      state: i % 50 === 0 ? "cancelled" : "published",
      seriesId,
      originalStartsAt,
      sequence: 0,
      materials: "",
      recordingUrl: null,
      createdBy: null,
      createdAt: new Date(now),
      updatedAt: new Date(now - i * 1000),
      cancelledAt: null,
    } satisfies Event;
  });
  // A weekly series needs its occurrences a week apart.
  for (const [, s] of series) s.originals = s.originals.map((_, k) => new Date(+s.originals[0] + k * 7 * DAY));
  for (const e of events)
    if (e.seriesId) {
      const s = series.get(e.seriesId)!;
      const k = events.filter((x) => x.seriesId === e.seriesId).indexOf(e);
      e.startsAt = e.originalStartsAt = s.originals[k];
      e.endsAt = new Date(+e.startsAt + 3_600_000);
    }
  return { events, series };
}

function medianBuildMs(n: number, runs: number) {
  const { events, series } = syntheticEvents(n);
  const items = events.map((event) => ({ event, includeJoinUrl: false, organiser: "Bench Organiser" }));
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    buildCalendar({ name: "Bench", appUrl: "https://convene.example", events: items, series });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main() {
  const handle = await connect();
  const { db } = handle;
  // The first build of each row turns its Markdown into text; later builds reuse that.
  console.log(`build_1000_ms: ${round(medianBuildMs(1000, 9))}`);
  console.log(`build_10000_ms: ${round(medianBuildMs(10_000, 5))}`);

  const tag = `bench-ics-${Date.now().toString(36)}`;
  try {
    const { events } = syntheticEvents(1000);
    const rows = events.map((e, i) => ({ ...e, id: newId(), slug: `${tag}-${i}`, seriesId: null, originalStartsAt: null }));
    for (let i = 0; i < rows.length; i += 250) await db.insert(schema.events).values(rows.slice(i, i + 250));
    const url = `${BASE_URL}/calendar.ics`;
    const first = await fetch(url);
    const body = await first.text();
    const etag = first.headers.get("etag") ?? "";
    console.log(`feed_events: ${(body.match(/BEGIN:VEVENT/g) ?? []).length}`);
    console.log(`feed_bytes: ${body.length}`);
    const hit = await load(url, CONNECTIONS, SECONDS, { "If-None-Match": etag });
    console.log(`etag_hit_req_per_s: ${round(hit.rps)}`);
    console.log(`etag_hit_p99_ms: ${round(hit.p99)}`);
    const plain = await load(url, CONNECTIONS, SECONDS);
    console.log(`plain_req_per_s: ${round(plain.rps)}`);
    console.log(`plain_p99_ms: ${round(plain.p99)}`);
    let n = 0;
    const cold = await load(() => `${url}?n=${n++}`, CONNECTIONS, SECONDS);
    console.log(`built_each_time_req_per_s: ${round(cold.rps)}`);
    console.log(`built_each_time_p99_ms: ${round(cold.p99)}`);
    console.log(`errors: ${hit.errors + plain.errors + cold.errors}`);
  } finally {
    await db.delete(schema.events).where(like(schema.events.slug, `${tag}-%`));
    await handle.close();
  }
}

run(main);
