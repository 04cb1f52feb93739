// What a database error means, wherever the driver or Drizzle put it. Drizzle wraps a
// driver's error ("Failed query: …") and keeps the original as `cause`, so a check on
// `err.code` alone misses it: every model asks here instead.
// Codes: https://www.postgresql.org/docs/current/errcodes-appendix.html

export type DbErrorKind = "unique" | "foreign-key" | "check" | "not-null" | "bad-value" | "lock-timeout" | "serialization";

type PgLike = { code?: unknown; constraint?: unknown; cause?: unknown };

function pgError(err: unknown): (PgLike & { code: string }) | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const candidate = e as PgLike;
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate as PgLike & { code: string };
    e = candidate.cause;
  }
  return null;
}

/** The PostgreSQL SQLSTATE of an error (its own, or its cause's), if it has one. */
export function pgErrorCode(err: unknown): string | undefined {
  return pgError(err)?.code;
}

/** The constraint or index a violation names, when the driver says. */
export function violatedConstraint(err: unknown): string | undefined {
  const c = pgError(err)?.constraint;
  return typeof c === "string" ? c : undefined;
}

export function dbErrorKind(err: unknown): DbErrorKind | null {
  const code = pgErrorCode(err);
  if (!code) return null;
  if (code === "23505") return "unique";
  if (code === "23503") return "foreign-key";
  if (code === "23514") return "check";
  if (code === "23502") return "not-null";
  if (code === "55P03") return "lock-timeout";
  if (code === "40001" || code === "40P01") return "serialization";
  // Class 22: data exceptions (a value out of range, a malformed date, an invalid byte).
  if (code.startsWith("22")) return "bad-value";
  return null;
}

export const isUniqueViolation = (err: unknown) => dbErrorKind(err) === "unique";
export const isForeignKeyViolation = (err: unknown) => dbErrorKind(err) === "foreign-key";

/**
 * Runs a write and turns the constraint violations it names into a refusal instead of a
 * thrown error: `on.unique` for a duplicate, `on["foreign-key"]` for a reference to
 * something that does not exist, and so on. Anything else is rethrown (a real fault).
 */
export async function mapDbErrors<T, R>(
  write: () => Promise<T>,
  on: Partial<Record<DbErrorKind, R>>,
): Promise<{ ok: true; value: T } | { ok: false; refusal: R }> {
  try {
    return { ok: true, value: await write() };
  } catch (err) {
    const kind = dbErrorKind(err);
    const refusal = kind ? on[kind] : undefined;
    if (refusal !== undefined) return { ok: false, refusal };
    throw err;
  }
}
