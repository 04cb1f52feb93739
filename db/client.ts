import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema";

// Both drivers expose the same query builder; we type the handle as the pg one so the
// rest of the code never branches on the backend.
export type Database = NodePgDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Transaction;

export type DbHandle = {
  db: Database;
  kind: "pglite" | "postgres";
  /** The pg pool, on Postgres only (rate limiter, socket.io adapter, LISTEN). */
  pool: pg.Pool | null;
  close: () => Promise<void>;
  /** PGlite only: its data directory as an uncompressed tarball. */
  dump?: () => Promise<Blob>;
};

export type DbConfig =
  | { kind: "postgres"; url: string; max?: number; lockTimeoutMs?: number }
  | {
      kind: "pglite";
      dataDir: string | null /* null = in memory */;
      /** A data directory dumped by `dump` below to start from (tests: migrated once, loaded per file). */
      loadDataDir?: Blob;
    };

/** The project root, found from this file whether it runs from db/ or bundled in build/. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export const migrationsFolder = () => path.join(projectRoot(), "db", "migrations");

export async function openDatabase(config: DbConfig): Promise<DbHandle> {
  if (config.kind === "postgres") {
    // Every connection waits at most this long for a row lock (app/utils/locks.server.ts):
    // a request fails with SQLSTATE 55P03 instead of hanging behind a stuck transaction.
    const pool = new pg.Pool({ connectionString: config.url, max: config.max ?? 10, options: `-c lock_timeout=${config.lockTimeoutMs ?? 10_000}` });
    // An idle client erroring (server restart) must not crash the process.
    pool.on("error", (err) => console.error(`[db] idle connection error: ${err.message}`));
    const db = drizzlePg({ client: pool, schema });
    return { db, kind: "postgres", pool, close: () => pool.end() };
  }
  if (config.dataDir) fs.mkdirSync(config.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: config.dataDir ?? undefined,
    extensions: { pg_trgm },
    loadDataDir: config.loadDataDir,
  });
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return { db, kind: "pglite", pool: null, close: () => client.close(), dump: () => client.dumpDataDir("none") };
}

/**
 * Applies db/migrations. On Postgres several processes may start at once, so the
 * migration runs under a session-level advisory lock held on its own connection.
 */
export async function migrateDatabase(handle: DbHandle): Promise<void> {
  const folder = migrationsFolder();
  if (handle.kind === "pglite") {
    await migratePglite(handle.db as never, { migrationsFolder: folder });
    return;
  }
  const client = await handle.pool!.connect();
  try {
    await client.query("SELECT pg_advisory_lock(727001)");
    // Migrate on the connection that holds the lock (a pool of one would deadlock).
    await migratePg(drizzlePg({ client }), { migrationsFolder: folder });
  } finally {
    await client.query("SELECT pg_advisory_unlock(727001)").catch(() => {});
    client.release();
  }
}

/** A description of where the database is, safe to print (no password). */
export function describeDatabase(config: DbConfig): string {
  if (config.kind === "pglite") return config.dataDir ? `PGlite in ${config.dataDir}` : "PGlite in memory";
  try {
    const u = new URL(config.url);
    return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "PostgreSQL (DATABASE_URL is not a valid URL)";
  }
}
