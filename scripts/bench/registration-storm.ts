// Benchmark: N registrations (default 500) by distinct people for a 100-seat webinar,
// all in flight at once. Being waitlisted is an answer, not an error; errors are network
// failures and 5xx.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:registration-storm
import { performance } from "node:perf_hooks";
import { and, eq, like } from "drizzle-orm";
import { BASE_URL, benchPeople, connect, pct, removeBenchPeople, round, run } from "./common";
import * as schema from "../../db/schema";
import { newId } from "../../app/utils/crypto.server";

const N = Number(process.env.BENCH_REGISTRATIONS ?? 500);
const SEATS = Number(process.env.BENCH_SEATS ?? 100);


async function main() {
  const handle = await connect();
  const { db } = handle;
  const tag = `bench-storm-${Date.now().toString(36)}`;
  const eventId = newId();
  try {
    const { people, tokens } = await benchPeople(db, tag, N, { name: "Attendee" });
    const startsAt = new Date(Date.now() + 14 * 86_400_000);
    await db.insert(schema.events).values({ id: eventId, slug: tag, kind: "webinar", title: "Bench webinar", startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), capacity: SEATS, state: "published", joinUrl: "https://meet.example.org/bench" });

    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(
      people.map(async (_, i) => {
        const t0 = performance.now();
        try {
          const res = await fetch(`${BASE_URL}/events/${tag}`, {
            method: "POST",
            redirect: "manual",
            headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE_URL, cookie: `convene_session=${tokens[i]}` },
            body: "intent=register",
          });
          await res.arrayBuffer();
          if (res.status !== 302) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu1 = process.cpuUsage(cpu0);
    if (process.env.BENCH_DEBUG) console.log(`client_cpu_ms: ${round((cpu1.user + cpu1.system) / 1000)}`);
    latencies.sort((a, b) => a - b);
    const count = async (status: "confirmed" | "waitlisted") =>
      (await db.select({ id: schema.eventRegistrations.id }).from(schema.eventRegistrations).where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.status, status)))).length;
    console.log(`registrations: ${N}`);
    console.log(`confirmed: ${await count("confirmed")}`);
    console.log(`waitlisted: ${await count("waitlisted")}`);
    console.log(`errors: ${errors}`);
    console.log(`requests_per_sec: ${round(N / seconds)}`);
    console.log(`p50_ms: ${round(pct(latencies, 50))}`);
    console.log(`p95_ms: ${round(pct(latencies, 95))}`);
    console.log(`p99_ms: ${round(pct(latencies, 99))}`);
  } finally {
    await db.delete(schema.events).where(eq(schema.events.id, eventId));
    await removeBenchPeople(db, tag);
    await db.delete(schema.emailOutbox).where(like(schema.emailOutbox.toAddress, `${tag}-%`));
    await handle.close();
  }
}

run(main);
