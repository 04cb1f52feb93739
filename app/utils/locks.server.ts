import { controlWindow, guardOff, type Guard } from "./test-controls.server";

// Row locks: the one place Convene takes them (after pretix's `lock_objects`).
// - Always `SELECT … FOR UPDATE` inside the caller's transaction, released at its commit.
// - Several rows are locked in one statement, ordered by key, so two transactions locking
//   overlapping sets take them in the same order and cannot deadlock.
// - Every connection waits at most `LOCK_TIMEOUT_MS` for a lock (set on the pool in
//   db/client.ts); a wait that long fails with SQLSTATE 55P03, which `dbErrorKind` calls
//   "busy" and the route answers 503 "busy, try again" instead of a hung request.
// - A control run (tests only) switches one guard off: the rows are read without a lock
//   and the window between check and act held open, so the race the lock prevents shows.

type Lockable<T> = PromiseLike<T[]> & { for(strength: "update"): PromiseLike<T[]> };

/** Reads the rows of `query` under FOR UPDATE (the query orders them, when there are several). */
export async function lockRows<T>(query: Lockable<T>, guard?: Guard): Promise<T[]> {
  if (!guard || !guardOff(guard)) return query.for("update");
  const rows = await query;
  await controlWindow();
  return rows;
}

/** One row under FOR UPDATE, or null. */
export async function lockRow<T>(query: Lockable<T>, guard?: Guard): Promise<T | null> {
  return (await lockRows(query, guard))[0] ?? null;
}
