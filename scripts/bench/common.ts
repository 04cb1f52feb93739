// Shared by the benchmarks: their configuration contract and small statistics.
import { spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { inArray, like } from "drizzle-orm";
import { SESSION_DAYS } from "../../app/auth/session.server";
import { newId, newToken, sha256hex } from "../../app/utils/crypto.server";
import { openDatabase } from "../../db/client";
import * as schema from "../../db/schema";

export const BASE_URL = (process.env.BASE_URL ?? "http://localhost:3000").replace(/\/$/, "");

export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
export const round = (n: number) => Math.round(n * 10) / 10;

/** Checks the server answers and opens its PostgreSQL database; exits with a clear line otherwise. */
export async function connect() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("bench: set DATABASE_URL to the server's PostgreSQL database (an embedded PGlite folder can be opened by one process only).");
    process.exit(2);
  }
  const health = await fetch(`${BASE_URL}/healthz`).catch(() => null);
  if (!health?.ok) {
    console.error(`bench: no healthy Convene at ${BASE_URL} (start it with npm start)`);
    process.exit(2);
  }
  return openDatabase({ kind: "postgres", url, max: 4 });
}

export function run(main: () => Promise<void>) {
  main().catch((err) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

/**
 * Keeps `connections` keep-alive connections busy against `url` for `seconds`.
 * `url` may be a function, to vary it per request.
 */
export async function load(url: string | (() => string), connections: number, seconds: number, headers: Record<string, string> = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const get = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      http
        .get(typeof url === "string" ? url : url(), { agent, headers }, (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 200 && res.statusCode !== 304) errors++;
            latencies.push(performance.now() - t0);
            resolve();
          });
        })
        .on("error", () => {
          errors++;
          resolve();
        });
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) await get();
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p99: pct(latencies, 99), errors };
}

type BenchDb = Awaited<ReturnType<typeof connect>>["db"];

/**
 * Creates `count` verified people (emails `${tag}-${i}@bench.example`), each signed in
 * with a session as fresh as a real login's, and returns them with their cookie tokens.
 */
export async function benchPeople(db: BenchDb, tag: string, count: number, opts: { name?: string; passwordHash?: string } = {}) {
  const people = Array.from({ length: count }, (_, i) => ({
    id: newId(),
    email: `${tag}-${i}@bench.example`,
    name: `${opts.name ?? "Bench person"} ${i}`,
    passwordHash: opts.passwordHash ?? "x",
    emailVerifiedAt: new Date(),
  }));
  const tokens = people.map(() => newToken());
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  for (let i = 0; i < count; i += 250) {
    await db.insert(schema.users).values(people.slice(i, i + 250));
    await db
      .insert(schema.sessions)
      .values(people.slice(i, i + 250).map((p, j) => ({ id: sha256hex(tokens[i + j]), userId: p.id, expiresAt, userAgent: "bench" })));
  }
  return { people, tokens };
}

/** Deletes the people benchPeople made under `tag` (their sessions and data go with them). */
export async function removeBenchPeople(db: BenchDb, tag: string) {
  const ids = (
    await db
      .select({ id: schema.users.id })
      .from(schema.users)
      .where(like(schema.users.email, `${tag}-%`))
  ).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) await db.delete(schema.users).where(inArray(schema.users.id, ids.slice(i, i + 500)));
}

/**
 * Runs autocannon against `url` (or a list of paths cycled per connection) and returns its
 * figures. With `cookies`, each request signs in as the next of them in turn.
 */
export async function cannon(opts: {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  paths?: string[];
  cookies?: string[];
}) {
  let n = 0;
  const cookies = opts.cookies ?? [];
  const setupRequest = cookies.length
    ? (req: { headers?: Record<string, string> }) => ({ ...req, headers: { ...req.headers, cookie: cookies[n++ % cookies.length] } })
    : undefined;
  const r = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    headers: opts.headers,
    requests: (opts.paths ?? [undefined]).map((path) => ({ method: "GET" as const, ...(path ? { path } : {}), ...(setupRequest ? { setupRequest } : {}) })),
  } as autocannon.Options);
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

/** The floor: an Express hello world in a child process of its own, measured by the same generator. */
export async function measureFloor(connections: number, seconds: number) {
  const child = spawn(process.execPath, [new URL("./floor.mjs", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    const port = /listening (\d+)/.exec(line.toString())?.[1];
    if (!port) throw new Error(`the floor server did not start: ${line}`);
    const url = `http://127.0.0.1:${port}/`;
    await cannon({ url, connections, seconds: Math.min(seconds, 3) }); // warm-up
    return await cannon({ url, connections, seconds });
  } finally {
    child.kill();
  }
}
