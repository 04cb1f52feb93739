import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { dbHandle } from "./db.server";

// Limits on the doors attackers knock on (and on posting in threads). Memory-backed on the embedded database (one
// process by construction), Postgres-backed with DATABASE_URL so every process shares
// the counts. The table comes from our migrations (rate_limits).
type LimitName = "login_ip" | "login_account" | "signup_ip" | "signup_account" | "reset_ip" | "reset_account" | "verify_resend" | "thread_post";

export const LIMITS: Record<LimitName, { points: number; duration: number }> = {
  login_ip: { points: 10, duration: 15 * 60 }, // failed logins per IP per 15 min
  login_account: { points: 10, duration: 15 * 60 }, // failed logins per account per 15 min
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
  return minutes <= 1
    ? "Too many attempts. Please wait a minute and try again."
    : `Too many attempts. Please try again in ${minutes} minutes.`;
}

function blocked(res: RateLimiterRes): LimitCheck {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return { ok: false, retryAfterSeconds, message: retryMessage(retryAfterSeconds) };
}

/** Is the key already over its limit? Does not count. */
export async function checkLimit(name: LimitName, key: string): Promise<LimitCheck> {
  const res = await limiter(name).get(key.toLowerCase());
  if (res && res.consumedPoints >= LIMITS[name].points) return blocked(res);
  return { ok: true };
}

/** Counts one attempt; refuses when the limit is already reached. */
export async function consumeLimit(name: LimitName, key: string): Promise<LimitCheck> {
  try {
    await limiter(name).consume(key.toLowerCase());
    return { ok: true };
  } catch (err) {
    if (err instanceof RateLimiterRes) return blocked(err);
    throw err;
  }
}

export async function resetLimit(name: LimitName, key: string) {
  await limiter(name).delete(key.toLowerCase());
}
