import { AsyncLocalStorage } from "node:async_hooks";
import { isDeepStrictEqual } from "node:util";
import { sql } from "drizzle-orm";
import { type DbOrTx, db, dbHandle, onWrite } from "./db.server";
import { guardOff } from "./test-controls.server";

// Within one page request (a GET), the same read asked twice is answered once: a page's
// loaders and the rules they call (threadAccess finding the hub the hub page already
// found, three checks asking for the viewer's roles) share what they read. Only reads
// outside a transaction, and only for GET and HEAD (server.ts): a POST's action changes
// what its loaders then read, so nothing is kept across it.

// One store per process: server.ts and the Remix build each bundle a copy of this module.
const g = globalThis as { __conveneRequestMemo?: AsyncLocalStorage<Map<string, Promise<unknown>>> };
g.__conveneRequestMemo ??= new AsyncLocalStorage();
const store = g.__conveneRequestMemo;

/** Runs `fn` (the rest of a GET's handling) with a fresh memo. */
export function withRequestMemo<T>(fn: () => T): T {
  return store.run(new Map(), fn);
}

/**
 * A page's reads, sharing what they read: within a GET's memo, or (after a form post's
 * action has finished, when Remix runs the page's loaders in the same request) a memo of
 * their own, so nothing read before the action is reused.
 */
export function pageReads<T>(viewer: { id: string; roles?: readonly string[] } | null, fn: () => Promise<T>): Promise<T> {
  if (store.getStore()) return fn();
  // The viewer's roles came with their session: the new memo starts with them.
  const memo = new Map<string, Promise<unknown>>();
  if (viewer?.roles) memo.set(`roles:${viewer.id}`, Promise.resolve([...viewer.roles]));
  return store.run(memo, fn);
}

/** Something already read for this request (the viewer's roles, read with their session). */
export function rememberInRequest(key: string, value: unknown) {
  store.getStore()?.set(key, Promise.resolve(value));
}

/** `read()` once per request and key; outside a GET, or inside a transaction, every time. */
export function onceInRequest<T>(key: string, tx: DbOrTx, read: () => Promise<T>): Promise<T> {
  const memo = store.getStore();
  if (!memo || tx !== db) return read();
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = read();
    memo.set(key, p);
    p.catch(() => memo.delete(key));
  }
  return p;
}

// ---------------------------------------------------------------------------------------
// Reads shared between requests, exact to the database's snapshot.
//
// A read that depends only on its arguments and the data (a hub's board, an event's
// organisers; never on who is asking) can be answered from what another request read, as
// long as the database has not changed since. "Not changed" is exact: PostgreSQL's
// snapshot (`pg_current_snapshot()`: the oldest running transaction, the next to come, the
// ones in progress) says which transactions a statement sees, and two statements with the
// same snapshot see the same data. Every request learns the snapshot with its session
// (one column of the session's own query), or with one statement when it first needs it.
// A read kept under a snapshot was made after that snapshot was taken, so it is never
// older than it; any commit since changes the snapshot, so nobody is answered from before
// their own write or anyone else's, in any process. Writes make the cache miss, which is
// the price: on a busy day it serves the reads between writes.

const SNAPSHOT_KEY = "db:snapshot";

// A request that writes reads its own write: the snapshot it had is forgotten, and its
// next shared read asks for the snapshot again (after the write has committed).
const gl = globalThis as { __conveneSnapshotForgetter?: boolean };
if (!gl.__conveneSnapshotForgetter) {
  gl.__conveneSnapshotForgetter = true;
  onWrite(() => store.getStore()?.delete(SNAPSHOT_KEY));
}

/** Remembers the snapshot the session's query saw (app/auth/session.server.ts). */
export function rememberSnapshot(snapshot: string) {
  rememberInRequest(SNAPSHOT_KEY, snapshot);
}

/** The snapshot a statement made now would see. */
const currentSnapshot = () => db.execute<{ s: string }>(sql`select pg_current_snapshot()::text as s`).then((r) => String(r.rows[0]?.s));

function requestSnapshot(memo: Map<string, Promise<unknown>>): Promise<string> {
  let p = memo.get(SNAPSHOT_KEY) as Promise<string> | undefined;
  if (!p) {
    p = currentSnapshot();
    memo.set(SNAPSHOT_KEY, p);
  }
  return p;
}

type Shared = { snapshot: string; value: Promise<unknown> };
// One cache per database handle (snapshots of two databases are not comparable; tests
// give each file a database of its own), kept on globalThis: one per process.
const gs = globalThis as { __conveneSharedReads?: WeakMap<object, Map<string, Shared>> };
gs.__conveneSharedReads ??= new WeakMap();
const byHandle = gs.__conveneSharedReads;
function sharedReadsOf(handle: object) {
  let m = byHandle.get(handle);
  if (!m) byHandle.set(handle, (m = new Map()));
  return m;
}
const SHARED_MAX = 2000;
const stats = { hits: 0, misses: 0 };

/**
 * Tells this request what a shared read would answer, when a wider read already learned it
 * (a task page's standing read also says whether the viewer stewards the hub).
 */
export function primeShared(name: string, args: unknown[], value: unknown) {
  rememberInRequest(`${name}:${JSON.stringify(args)}`, value);
}

/** How many shared reads were answered from another request's reading, and how many read. */
export const sharedReadStats = () => ({ ...stats, kept: sharedReadsOf(dbHandle()).size });

/** Under NODE_ENV=test each hit is read again and compared, and what is kept is frozen. */
const verifying = () => process.env.NODE_ENV === "test";

/**
 * `read`, answered from another request's reading while the database's snapshot is the
 * same. Only for reads that depend on nothing but their arguments (JSON-serialisable) and
 * the data; callers must not change what they are given (under tests it is frozen). In a
 * GET only; elsewhere (an action, a job) every call reads.
 */
export function sharedRead<A extends unknown[], T>(name: string, read: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  return (...args: A) => {
    const memo = store.getStore();
    if (!memo) return read(...args);
    const key = `${name}:${JSON.stringify(args)}`;
    return onceInRequest(key, db, async () => {
      const sharedReads = sharedReadsOf(dbHandle());
      const snapshot = await requestSnapshot(memo);
      const kept = sharedReads.get(key);
      if (kept && (kept.snapshot === snapshot || guardOff("read-snapshot"))) {
        stats.hits++;
        sharedReads.delete(key);
        sharedReads.set(key, kept);
        const value = (await kept.value) as T;
        if (verifying() && kept.snapshot === snapshot) await verifyShared(key, snapshot, value, read, args);
        return value;
      }
      stats.misses++;
      const value = read(...args).then((v) => (verifying() ? deepFreeze(v) : v));
      sharedReads.delete(key);
      sharedReads.set(key, { snapshot, value });
      value.catch(() => {
        if (sharedReads.get(key)?.value === value) sharedReads.delete(key);
      });
      if (sharedReads.size > SHARED_MAX) sharedReads.delete(sharedReads.keys().next().value as string);
      return value;
    });
  };
}

async function verifyShared<A extends unknown[], T>(key: string, snapshot: string, kept: T, read: (...args: A) => Promise<T>, args: A) {
  const fresh = await read(...args);
  // Compared only if nothing changed meanwhile (a concurrent test's write would differ rightly).
  if ((await currentSnapshot()) === snapshot && !isDeepStrictEqual(fresh, kept))
    throw new Error(`sharedRead ${key}: what was kept differs from a fresh read under the same snapshot`);
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Empties the shared reads (tests that compare a cold and a warm page). */
export const clearSharedReads = () => sharedReadsOf(dbHandle()).clear();
