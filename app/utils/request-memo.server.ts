import { AsyncLocalStorage } from "node:async_hooks";
import { type DbOrTx, db } from "./db.server";

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
