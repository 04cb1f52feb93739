// Shared by the benchmarks: their configuration contract and small statistics.
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
