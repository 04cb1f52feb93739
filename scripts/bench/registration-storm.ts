// Benchmark: N registrations (default 500) by distinct people for a 100-seat webinar,
// all in flight at once. Being waitlisted is an answer, not an error; errors are network
// failures and 5xx. Untimed warm-up storms of 1,000 on other events come first (BENCH_WARMUP
// people in all, default 2,000), so a server that has just started is measured as it runs
// in service, not while V8 is still compiling its hot paths and the pool is still opening
// connections: on 1 December 2026 the first timed storm after 1,000 was still about a third
// slower than the ones after it (p99 0.63 s against 0.47). `cold_p99_ms` is the first
// warm-up storm's own p99: what a process just started gives.
// BENCH_DEBUG=1 adds the latency deciles and the load generator's own CPU time.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:registration-storm
import http from "node:http";
import { performance } from "node:perf_hooks";
import { and, eq, inArray, like } from "drizzle-orm";
import { newId } from "../../app/utils/crypto.server";
import * as schema from "../../db/schema";
import { BASE_URL, benchPeople, connect, pct, removeBenchPeople, round, run } from "./common";

const N = Number(process.env.BENCH_REGISTRATIONS ?? 500);
const SEATS = Number(process.env.BENCH_SEATS ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2000);

type Db = Awaited<ReturnType<typeof connect>>["db"];

async function webinar(db: Db, slug: string) {
  const id = newId();
  const startsAt = new Date(Date.now() + 14 * 86_400_000);
  await db.insert(schema.events).values({
    id,
    slug,
    kind: "webinar",
    title: "Bench webinar",
    startsAt,
    endsAt: new Date(startsAt.getTime() + 3_600_000),
    capacity: SEATS,
    state: "published",
    joinUrl: "https://meet.example.org/bench",
  });
  return id;
}

/**
 * Sends one registration per token, all at once, each on its own connection (node:http:
 * it costs the load generator a fraction of what fetch does, and this machine's two cores
 * are shared with the server and PostgreSQL). Returns each one's latency and the failures.
 */
async function storm(slug: string, tokens: string[]) {
  const latencies: number[] = [];
  let errors = 0;
  const url = new URL(`${BASE_URL}/events/${slug}`);
  const body = "intent=register";
  await Promise.all(
    tokens.map(
      (token) =>
        new Promise<void>((resolve) => {
          const t0 = performance.now();
          const done = (ok: boolean) => {
            if (!ok) errors++;
            latencies.push(performance.now() - t0);
            resolve();
          };
          http
            .request(
              url,
              {
                method: "POST",
                agent: false,
                headers: {
                  "content-type": "application/x-www-form-urlencoded",
                  "content-length": body.length,
                  origin: BASE_URL,
                  cookie: `convene_session=${token}`,
                },
              },
              (res) => {
                res.resume();
                res.on("end", () => done(res.statusCode === 302));
                res.on("error", () => done(false));
              },
            )
            .on("error", () => done(false))
            .end(body);
        }),
    ),
  );
  return { latencies: latencies.sort((a, b) => a - b), errors };
}

async function main() {
  const handle = await connect();
  const { db } = handle;
  const tag = `bench-storm-${Date.now().toString(36)}`;
  const eventIds: string[] = [];
  try {
    const { tokens } = await benchPeople(db, tag, N + WARMUP, { name: "Attendee" });
    eventIds.push(await webinar(db, tag));
    let cold: number | null = null;
    for (let i = 0; i * 1000 < WARMUP; i++) {
      eventIds.push(await webinar(db, `${tag}-warmup-${i}`));
      const w = await storm(`${tag}-warmup-${i}`, tokens.slice(N + i * 1000, N + Math.min(WARMUP, (i + 1) * 1000)));
      cold ??= pct(w.latencies, 99);
    }

    const started = performance.now();
    const cpu = process.cpuUsage();
    const { latencies, errors } = await storm(tag, tokens.slice(0, N));
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const count = async (status: "confirmed" | "waitlisted") =>
      (
        await db
          .select({ id: schema.eventRegistrations.id })
          .from(schema.eventRegistrations)
          .where(and(eq(schema.eventRegistrations.eventId, eventIds[0]), eq(schema.eventRegistrations.status, status)))
      ).length;
    console.log(`registrations: ${N}`);
    console.log(`warmup_registrations: ${WARMUP}`);
    console.log(`confirmed: ${await count("confirmed")}`);
    console.log(`waitlisted: ${await count("waitlisted")}`);
    console.log(`errors: ${errors}`);
    console.log(`requests_per_sec: ${round(N / seconds)}`);
    console.log(`p50_ms: ${round(pct(latencies, 50))}`);
    console.log(`p95_ms: ${round(pct(latencies, 95))}`);
    console.log(`p99_ms: ${round(pct(latencies, 99))}`);
    if (cold !== null) console.log(`cold_p99_ms: ${round(cold)}`);
    if (process.env.BENCH_DEBUG) {
      console.log(`load_generator_cpu_ms: ${round((user + system) / 1000)}`);
      console.log(`deciles_ms: ${[10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => round(pct(latencies, p))).join(" ")}`);
    }
  } finally {
    if (eventIds.length) await db.delete(schema.events).where(inArray(schema.events.id, eventIds));
    await removeBenchPeople(db, tag);
    await db.delete(schema.emailOutbox).where(like(schema.emailOutbox.toAddress, `${tag}-%`));
    await handle.close();
  }
}

run(main);
