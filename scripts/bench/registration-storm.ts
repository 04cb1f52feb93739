// Benchmark: N registrations (default 500) by distinct people for a 100-seat webinar,
// all in flight at once. Being waitlisted is an answer, not an error; errors are network
// failures and 5xx.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:registration-storm
import { performance } from "node:perf_hooks";
import { and, eq, inArray, like } from "drizzle-orm";
import { BASE_URL, connect, pct, round, run } from "./common";
import * as schema from "../../db/schema";
import { newId, newToken, sha256hex } from "../../app/utils/crypto.server";

const N = Number(process.env.BENCH_REGISTRATIONS ?? 500);
const SEATS = Number(process.env.BENCH_SEATS ?? 100);


async function main() {
  const handle = await connect();
  const { db } = handle;
  const tag = `bench-storm-${Date.now().toString(36)}`;
  const eventId = newId();
  try {
    const people = Array.from({ length: N }, (_, i) => ({ id: newId(), email: `${tag}-${i}@bench.example`, name: `Attendee ${i}`, passwordHash: "x", emailVerifiedAt: new Date() }));
    const tokens = people.map(() => newToken());
    for (let i = 0; i < N; i += 250) {
      await db.insert(schema.users).values(people.slice(i, i + 250));
      await db.insert(schema.sessions).values(people.slice(i, i + 250).map((p, j) => ({ id: sha256hex(tokens[i + j]), userId: p.id, expiresAt: new Date(Date.now() + 86_400_000) })));
    }
    const startsAt = new Date(Date.now() + 14 * 86_400_000);
    await db.insert(schema.events).values({ id: eventId, slug: tag, kind: "webinar", title: "Bench webinar", startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), capacity: SEATS, state: "published", joinUrl: "https://meet.example.org/bench" });

    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
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
    const ids = (await db.select({ id: schema.users.id }).from(schema.users).where(like(schema.users.email, `${tag}-%`))).map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) await db.delete(schema.users).where(inArray(schema.users.id, ids.slice(i, i + 500)));
    await db.delete(schema.emailOutbox).where(like(schema.emailOutbox.toAddress, `${tag}-%`));
    await handle.close();
  }
}

run(main);
