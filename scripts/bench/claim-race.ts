// Benchmark: 200 claims of one research task by distinct people, all in flight at once.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:claim-race
//
// Untimed races of 200 other people for other tasks come first (BENCH_WARMUP_CLAIMS people
// in all, default 1,000), as in the registration storm: a process that has just started is
// still compiling its hot paths, and a server in service has long done that. `cold_p99_ms`
// is the first warm-up race's own p99: what a process just started gives.
//
// A lost claim is an answer (409 "already claimed by …", on the task page), not an error;
// errors are network failures and 5xx. Each claim is timed until the person has the page
// that tells them the outcome: for the winner, the page its redirect leads to. People, organisations, sessions, the hub and the task are
// created directly in the database, and removed afterwards.
import { performance } from "node:perf_hooks";
import { eq, like } from "drizzle-orm";
import { newId } from "../../app/utils/crypto.server";
import * as schema from "../../db/schema";
import { BASE_URL, benchPeople, connect, pct, removeBenchPeople, round, run } from "./common";

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP_CLAIMS ?? 1000);

/** Everyone in `tokens` claims the task at once; each is timed until they have the page that tells them. */
async function race(hubSlug: string, taskId: string, tokens: string[]) {
  const latencies: number[] = [];
  let errors = 0;
  let won = 0;
  let lost = 0;
  await Promise.all(
    tokens.map(async (token) => {
      const t0 = performance.now();
      try {
        const res = await fetch(`${BASE_URL}/hubs/${hubSlug}/tasks/${taskId}`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE_URL, cookie: `convene_session=${token}` },
          body: "intent=claim",
        });
        await res.arrayBuffer();
        if (res.status === 302) {
          // The winner is told on the page the redirect leads to: that GET counts too.
          const flash = res.headers.getSetCookie().map((c) => c.split(";")[0]);
          const cookie = [`convene_session=${token}`, ...flash].join("; ");
          const page = await fetch(new URL(res.headers.get("location") ?? "/", BASE_URL), { headers: { cookie } });
          const html = await page.text();
          if (page.status === 200 && html.includes("You lead this task")) won++;
          else errors++;
        } else if (res.status === 409) lost++;
        else errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), errors, won, lost };
}

async function main() {
  const handle = await connect();
  const { db } = handle;
  const tag = `bench-claim-${Date.now().toString(36)}`;
  const hubId = newId();
  const taskId = newId();
  try {
    const { people, tokens } = await benchPeople(db, tag, CLAIMS + WARMUP, { name: "Claimant" });
    const orgs = people.map((_p, i) => ({ id: newId(), slug: `${tag}-org-${i}`, name: `Bench Org ${i}`, type: "charity" as const }));
    for (let i = 0; i < people.length; i += 100) {
      await db.insert(schema.organisations).values(orgs.slice(i, i + 100));
      await db
        .insert(schema.organisationMemberships)
        .values(people.slice(i, i + 100).map((p, j) => ({ organisationId: orgs[i + j].id, userId: p.id, role: "admin" as const, status: "active" as const })));
    }
    await db
      .insert(schema.hubs)
      .values({ id: hubId, slug: tag, title: "Bench hub", momentName: "Bench moment", momentAt: new Date(Date.now() + 86_400_000 * 10) });
    await db.insert(schema.tasks).values({ id: taskId, hubId, title: "The one task everybody wants" });

    let cold: number | null = null;
    for (let i = 0; i * 200 < WARMUP; i++) {
      const warmupTask = newId();
      await db.insert(schema.tasks).values({ id: warmupTask, hubId, title: `Warm-up task ${i + 1}` });
      const w = await race(tag, warmupTask, tokens.slice(CLAIMS + i * 200, CLAIMS + Math.min(WARMUP, (i + 1) * 200)));
      cold ??= pct(w.latencies, 99);
    }
    const started = performance.now();
    const { latencies, errors, won, lost } = await race(tag, taskId, tokens.slice(0, CLAIMS));
    const seconds = (performance.now() - started) / 1000;
    const [task] = await db.select().from(schema.tasks).where(eq(schema.tasks.id, taskId));
    const claims = (await db.select().from(schema.taskHistory).where(eq(schema.taskHistory.taskId, taskId))).filter((h) => h.kind === "claimed");
    // Leads: people the server told they lead, which must equal the one lead recorded.
    console.log(`claims: ${CLAIMS}`);
    console.log(`warmup_claims: ${WARMUP}`);
    console.log(`leads: ${Math.max(won, claims.length, task.leadUserId ? 1 : 0)}`);
    console.log(`told_already_claimed: ${lost}`);
    console.log(`errors: ${errors}`);
    console.log(`requests_per_sec: ${round(CLAIMS / seconds)}`);
    console.log(`p50_ms: ${round(pct(latencies, 50))}`);
    console.log(`p95_ms: ${round(pct(latencies, 95))}`);
    console.log(`p99_ms: ${round(pct(latencies, 99))}`);
    if (cold !== null) console.log(`cold_p99_ms: ${round(cold)}`);
  } finally {
    await db.delete(schema.hubs).where(eq(schema.hubs.id, hubId));
    await removeBenchPeople(db, tag);
    await db.delete(schema.organisations).where(like(schema.organisations.slug, `${tag}-org-%`));
    await handle.close();
  }
}

run(main);
