import { sql } from "drizzle-orm";
import { type Database, type DbConfig, type DbHandle, describeDatabase, migrateDatabase, openDatabase } from "../../db/client";
import { env } from "./env.server";

export type { Database, DbOrTx, Transaction } from "../../db/client";
export * as schema from "../../db/schema";

// The one door to the database. The Remix build and server.ts are bundled separately,
// so the handle lives on globalThis: one PGlite (one open data folder) per process
// (STACK.md rule 3).
const g = globalThis as typeof globalThis & { __conveneDb?: DbHandle };

export function dbConfigFromEnv(): DbConfig {
  const e = env();
  return e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL, lockTimeoutMs: e.LOCK_TIMEOUT_MS } : { kind: "pglite", dataDir: e.DATA_DIR };
}

/** Opens and migrates the database once per process. */
export async function connectDatabase(config: DbConfig = dbConfigFromEnv()): Promise<DbHandle> {
  if (g.__conveneDb) return g.__conveneDb;
  const handle = await openDatabase(config);
  try {
    await migrateDatabase(handle);
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
  g.__conveneDb = handle;
  return handle;
}

/** Installs an already opened handle (tests). */
export function useDatabaseHandle(handle: DbHandle | undefined) {
  g.__conveneDb = handle;
}

export function dbHandle(): DbHandle {
  if (!g.__conveneDb) throw new Error("The database is not connected yet (connectDatabase was not called)");
  return g.__conveneDb;
}

export const dbKind = () => dbHandle().kind;

// Told whenever code is about to write through `db` (insert, update, delete, a transaction):
// a request that writes must not answer its later reads from before its own write
// (app/utils/request-memo.server.ts). One set per process, as the handle is.
const WRITES = new Set<string | symbol>(["insert", "update", "delete", "transaction"]);
const gw = globalThis as { __conveneWriteListeners?: Set<() => void> };
const writeListeners = (gw.__conveneWriteListeners ??= new Set());

/** Calls `listener` each time code is about to write through `db`. */
export function onWrite(listener: () => void) {
  writeListeners.add(listener);
}

/** The Drizzle database; resolves the process's handle on every use. */
export const db: Database = new Proxy({} as Database, {
  get(_target, prop) {
    if (WRITES.has(prop)) for (const l of writeListeners) l();
    const real = dbHandle().db as unknown as Record<string | symbol, unknown>;
    const value = real[prop];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
});

const statements = new WeakMap<DbHandle, Map<string, unknown>>();

/**
 * A query built once per database handle, for the few statements nearly every request
 * makes: `build` should end in `.prepare(name)`, so PostgreSQL parses it once per
 * connection and Drizzle does not rebuild its SQL each time.
 */
export function prepared<T>(name: string, build: (database: Database) => T): T {
  const handle = dbHandle();
  let mine = statements.get(handle);
  if (!mine) statements.set(handle, (mine = new Map()));
  if (!mine.has(name)) mine.set(name, build(handle.db as Database));
  return mine.get(name) as T;
}

export async function pingDatabase(timeoutMs = 2000): Promise<boolean> {
  if (!g.__conveneDb) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      g.__conveneDb.db.execute(sql`select 1`),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export { describeDatabase };
