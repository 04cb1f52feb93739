// Shared by the benchmarks: their configuration contract and small statistics.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../../db/client";

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
