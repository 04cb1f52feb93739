import { type DbOrTx, db, type Transaction } from "./db.server";
import { dbErrorKind } from "./db-errors.server";
import { busy, type Refused } from "./outcome";
import { controlWindow, type Guard, guardOff } from "./test-controls.server";

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

// Work to do once a transaction has committed (announcements on the bus): registered by
// `afterCommit` inside `inTransaction`/`transact`, run after the commit, dropped on rollback.
const commitHooks = new WeakMap<object, (() => void)[]>();

/** A transaction that runs its `afterCommit` work once it has committed. */
export async function inTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  const hooks: (() => void)[] = [];
  const result = await db.transaction(async (tx) => {
    commitHooks.set(tx, hooks);
    return work(tx);
  });
  for (const h of hooks) h();
  return result;
}

/**
 * Runs `fn` after the transaction `tx` commits (at once when `tx` is not a transaction
 * opened by `inTransaction` or `transact`: the plain handle commits each statement).
 */
export function afterCommit(tx: DbOrTx, fn: () => void) {
  const hooks = commitHooks.get(tx);
  if (hooks) hooks.push(fn);
  else if (tx === db || !("rollback" in tx)) fn();
  else throw new Error("afterCommit needs a transaction opened by inTransaction() or transact()");
}

/**
 * A transaction whose lock waits are bounded: when a lock cannot be had within
 * LOCK_TIMEOUT_MS (or PostgreSQL gives up on a deadlock or serialization race), the caller
 * gets a "busy, try again" refusal (503) instead of an error.
 */
export async function transact<T>(work: (tx: Transaction) => Promise<T>): Promise<T | Refused<{ status: 503 }>> {
  try {
    return await inTransaction(work);
  } catch (err) {
    if (isBusyError(err)) return busy() as Refused<{ status: 503 }>;
    throw err;
  }
}

/** A lock not had in time, or a deadlock or serialization race PostgreSQL gave up on. */
export function isBusyError(err: unknown): boolean {
  const kind = dbErrorKind(err);
  return kind === "lock-timeout" || kind === "serialization";
}
