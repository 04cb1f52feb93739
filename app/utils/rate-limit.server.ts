import { createHmac, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { db, dbHandle } from "./db.server";
import { env } from "./env.server";

const g0 = globalThis as typeof globalThis & { __conveneLimitKey?: string };
/** The key limits are hashed under: SESSION_SECRET, or one made per process (development). */
const limitSecret = () => env().SESSION_SECRET ?? (g0.__conveneLimitKey ??= randomBytes(32).toString("hex"));
const hashKey = (name: LimitName, key: string) => createHmac("sha256", limitSecret()).update(`${name}:${key.toLowerCase()}`).digest("base64url");

// Limits on the doors attackers knock on (and on posting in threads). Memory-backed on the embedded database (one
// process by construction), Postgres-backed with DATABASE_URL so every process shares
// the counts. The table comes from our migrations (rate_limits).
//
// Following OWASP's authentication cheat sheet, a login is limited three ways: failures
// per address (IP), per account from that address, and per account from browsers that
// have never logged in to it. A browser that has logged in to the account before carries
// a signed device cookie and is not subject to the last, so someone guessing at a
// person's password elsewhere cannot lock the owner out.
//
// Keys are stored as a keyed hash (HMAC-SHA-256 under SESSION_SECRET): the table never
// holds an email address or an IP, and expired rows are pruned by a job.
type LimitName =
  | "login_ip"
  | "login_account_ip"
  | "login_account"
  | "password_check"
  | "signup_ip"
  | "signup_account"
  | "reset_ip"
  | "reset_account"
  | "verify_resend"
  | "sign_in_link"
  | "thread_post";

export const LIMITS: Record<LimitName, { points: number; duration: number }> = {
  login_ip: { points: 30, duration: 15 * 60 }, // failed logins per IP per 15 min (any accounts)
  login_account_ip: { points: 10, duration: 15 * 60 }, // failed logins per account per IP per 15 min
  login_account: { points: 10, duration: 15 * 60 }, // failed logins per account from unknown browsers per 15 min
  password_check: { points: 5, duration: 15 * 60 }, // wrong current passwords (change password, delete account) per person
  sign_in_link: { points: 3, duration: 60 * 60 }, // emailed sign-in links per address per hour
  signup_ip: { points: 10, duration: 60 * 60 }, // signups attempted per IP per hour
  signup_account: { points: 5, duration: 60 * 60 }, // signups attempted per address per hour
  reset_ip: { points: 10, duration: 60 * 60 }, // reset requests per IP per hour
  reset_account: { points: 3, duration: 60 * 60 }, // reset emails per address per hour
  verify_resend: { points: 3, duration: 60 * 60 }, // verification emails per person per hour
  thread_post: { points: 10, duration: 10 }, // messages per person per 10 s, all threads together
};

const g = globalThis as typeof globalThis & {
  __conveneLimiters?: { handle: unknown; limiters: Map<LimitName, RateLimiterAbstract> };
};

function limiter(name: LimitName): RateLimiterAbstract {
  const handle = dbHandle();
  if (!g.__conveneLimiters || g.__conveneLimiters.handle !== handle) {
    g.__conveneLimiters = { handle, limiters: new Map() };
  }
  const map = g.__conveneLimiters.limiters;
  let l = map.get(name);
  if (!l) {
    const opts = { keyPrefix: name, ...LIMITS[name] };
    l = handle.pool
      ? new RateLimiterPostgres({ ...opts, storeClient: handle.pool, tableName: "rate_limits", tableCreated: true, clearExpiredByTimeout: false })
      : new RateLimiterMemory(opts);
    map.set(name, l);
  }
  return l;
}

export type LimitCheck = { ok: true } | { ok: false; retryAfterSeconds: number; message: string };

export function retryMessage(seconds: number) {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "Too many attempts. Please wait a minute and try again." : `Too many attempts. Please try again in ${minutes} minutes.`;
}

function blocked(res: RateLimiterRes): LimitCheck {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return { ok: false, retryAfterSeconds, message: retryMessage(retryAfterSeconds) };
}

/** Is the key already over its limit? Does not count. */
export async function checkLimit(name: LimitName, key: string): Promise<LimitCheck> {
  const res = await limiter(name).get(hashKey(name, key));
  if (res && res.consumedPoints >= LIMITS[name].points) return blocked(res);
  return { ok: true };
}

/** Counts one attempt; refuses when the limit is already reached. */
export async function consumeLimit(name: LimitName, key: string): Promise<LimitCheck> {
  try {
    await limiter(name).consume(hashKey(name, key));
    return { ok: true };
  } catch (err) {
    if (err instanceof RateLimiterRes) return blocked(err);
    throw err;
  }
}

export async function resetLimit(name: LimitName, key: string) {
  await limiter(name).delete(hashKey(name, key));
}

/** Deletes expired counters (PostgreSQL; the in-memory store forgets by itself). */
export async function pruneRateLimits(): Promise<void> {
  if (dbHandle().kind !== "postgres") return;
  await db.execute(sql`delete from rate_limits where expire is not null and expire < (extract(epoch from now()) * 1000)::bigint`);
}
