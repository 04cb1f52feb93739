// Benchmark: login throughput and latency against a running server, authenticated page
// latency, and argon2id hashes per second on this machine.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:auth
//
// People and sessions are created directly in the database (all traffic comes from one
// IP, so going through signup would only measure the rate limiter), then removed.
import { performance } from "node:perf_hooks";
import { hash } from "@node-rs/argon2";
import { PRODUCTION_ARGON2 } from "../../app/auth/password.server";
import { BASE_URL, benchPeople, connect, pct, removeBenchPeople, round, run } from "./common";

const LOGINS = Number(process.env.BENCH_LOGINS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PEOPLE = 20;
const PASSWORD = "bench password long enough";

async function runPool(total: number, concurrency: number, task: (i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let ok = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = performance.now();
        if (await task(i)) ok++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { ok, perSec: total / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

async function main() {
  const handle = await connect();
  const { db } = handle;
  const tag = `bench-${Date.now().toString(36)}`;
  try {
    // argon2id at production cost, in this process.
    const hashes = 20;
    const t0 = performance.now();
    let passwordHash = "";
    for (let i = 0; i < hashes; i++) passwordHash = await hash(PASSWORD, { algorithm: 2, ...PRODUCTION_ARGON2 });
    const hashesPerSec = hashes / ((performance.now() - t0) / 1000);

    const { people, tokens } = await benchPeople(db, tag, PEOPLE, { passwordHash });

    const login = await runPool(LOGINS, CONCURRENCY, async (i) => {
      const res = await fetch(`${BASE_URL}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE_URL },
        body: new URLSearchParams({ email: people[i % PEOPLE].email, password: PASSWORD }).toString(),
      });
      await res.arrayBuffer();
      return res.status === 302;
    });

    const page = await runPool(LOGINS, CONCURRENCY, async (i) => {
      const res = await fetch(`${BASE_URL}/me`, { headers: { cookie: `convene_session=${tokens[i % PEOPLE]}` }, redirect: "manual" });
      await res.arrayBuffer();
      return res.status === 200;
    });

    console.log(`login_requests: ${LOGINS}`);
    console.log(`login_ok: ${login.ok}`);
    console.log(`login_per_sec: ${round(login.perSec)}`);
    console.log(`login_p50_ms: ${round(login.p50)}`);
    console.log(`login_p99_ms: ${round(login.p99)}`);
    console.log(`account_page_ok: ${page.ok}`);
    console.log(`account_page_p50_ms: ${round(page.p50)}`);
    console.log(`account_page_p99_ms: ${round(page.p99)}`);
    console.log(`argon2_hashes_per_sec: ${round(hashesPerSec)}`);
  } finally {
    await removeBenchPeople(db, tag);
    await handle.close();
  }
}

run(main);
