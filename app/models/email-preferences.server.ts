import { createHmac, randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { looksLikeToken, sha256hex } from "../utils/crypto.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { env } from "../utils/env.server";
import { done, type Outcome } from "../utils/outcome";
import { type Cadence, isCadence, NEWS_KIND_INFO, NEWS_KINDS, type NewsKind } from "./notification-kinds";

// A person's choices of mail, when their summaries go out, and one-click unsubscribe.

export type Preferences = Record<NewsKind, Cadence>;
export type DigestTime = { weekday: number; hour: number; timeZone: string };
export const DEFAULT_DIGEST_TIME: DigestTime = { weekday: 1, hour: 8, timeZone: "Europe/London" };

export async function preferencesOf(userId: string, tx: DbOrTx = db): Promise<Preferences> {
  const rows = await tx
    .select({ kind: schema.emailPreferences.kind, cadence: schema.emailPreferences.cadence })
    .from(schema.emailPreferences)
    .where(eq(schema.emailPreferences.userId, userId));
  const prefs = Object.fromEntries(NEWS_KINDS.map((k) => [k, NEWS_KIND_INFO[k].byDefault])) as Preferences;
  for (const r of rows) if (isCadence(r.cadence) && r.kind in prefs) prefs[r.kind] = r.cadence;
  return prefs;
}

export async function digestTimeOf(userId: string, tx: DbOrTx = db): Promise<DigestTime> {
  const [row] = await tx.select().from(schema.digestSettings).where(eq(schema.digestSettings.userId, userId));
  return row ? { weekday: row.weekday, hour: row.hour, timeZone: row.timeZone } : DEFAULT_DIGEST_TIME;
}

export const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return zone.length <= 64;
  } catch {
    return false;
  }
};

/** Saves the settings form (already parsed by PreferencesForm): one cadence per kind, and the summaries' day, hour and zone. */
export async function savePreferences(
  userId: string,
  form: { weekday: number; hour: number; timeZone: string } & Record<`kind.${NewsKind}`, Cadence>,
): Promise<Outcome> {
  const { weekday, hour, timeZone } = form;
  await db.transaction(async (tx) => {
    for (const kind of NEWS_KINDS) {
      const cadence = form[`kind.${kind}`];
      await tx
        .insert(schema.emailPreferences)
        .values({ userId, kind, cadence })
        .onConflictDoUpdate({ target: [schema.emailPreferences.userId, schema.emailPreferences.kind], set: { cadence, updatedAt: new Date() } });
    }
    await tx
      .insert(schema.digestSettings)
      .values({ userId, weekday, hour, timeZone })
      .onConflictDoUpdate({ target: schema.digestSettings.userId, set: { weekday, hour, timeZone, updatedAt: new Date() } });
  });
  return done("Your email choices are saved.");
}

// ---------------------------------------------------------------- one-click unsubscribe (RFC 8058)

// The token for (person, kind) is HMAC(key, "unsubscribe.<person>.<kind>.<salt>") with a
// random salt kept in unsubscribe_tokens beside the token's SHA-256: every mail of that kind
// carries the same link, and the table alone does not give the link away when
// SESSION_SECRET is set. Without SESSION_SECRET (development) the key is made once and kept
// in app_meta, so links survive restarts.

const g = globalThis as typeof globalThis & { __conveneUnsubKey?: string };

async function unsubscribeKey(tx: DbOrTx): Promise<string> {
  const fromEnv = env().SESSION_SECRET;
  if (fromEnv) return fromEnv;
  if (g.__conveneUnsubKey) return g.__conveneUnsubKey;
  await tx
    .insert(schema.appMeta)
    .values({ key: "unsubscribe_key", value: randomBytes(32).toString("hex") })
    .onConflictDoNothing();
  const [row] = await tx.select({ value: schema.appMeta.value }).from(schema.appMeta).where(eq(schema.appMeta.key, "unsubscribe_key"));
  g.__conveneUnsubKey = row.value;
  return row.value;
}

/** What a token stops: one kind of news, or a summary (every kind now sent in it). */
export type UnsubscribeKind = NewsKind | "daily" | "weekly";

const tokenFor = (key: string, userId: string, kind: UnsubscribeKind, salt: string) =>
  createHmac("sha256", key).update(`unsubscribe.${userId}.${kind}.${salt}`).digest("base64url");

/** The unsubscribe tokens of these people for one kind, made on first need (in the caller's transaction). */
export async function unsubscribeTokens(tx: DbOrTx, userIds: string[], kind: UnsubscribeKind): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!userIds.length) return out;
  const key = await unsubscribeKey(tx);
  const read = () =>
    tx
      .select({ userId: schema.unsubscribeTokens.userId, salt: schema.unsubscribeTokens.salt })
      .from(schema.unsubscribeTokens)
      .where(and(eq(schema.unsubscribeTokens.kind, kind), inArray(schema.unsubscribeTokens.userId, userIds)));
  let rows = await read();
  const missing = userIds.filter((id) => !rows.some((r) => r.userId === id));
  if (missing.length) {
    await tx
      .insert(schema.unsubscribeTokens)
      .values(
        missing.map((userId) => {
          const salt = randomBytes(16).toString("base64url");
          return { userId, kind, salt, tokenHash: sha256hex(tokenFor(key, userId, kind, salt)) };
        }),
      )
      .onConflictDoNothing();
    rows = await read();
  }
  for (const r of rows) out.set(r.userId, tokenFor(key, r.userId, kind, r.salt));
  return out;
}

/** The headers every news mail carries (RFC 2369 and RFC 8058). */
export const unsubscribeHeaders = (url: string): Record<string, string> => ({
  "List-Unsubscribe": `<${url}>`,
  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
});

export const unsubscribeUrl = (appUrl: string, token: string) => `${appUrl}/unsubscribe/${token}`;

/** Whom a token is for, what it stops and whether it is stopped already: null when the token is unknown (or malformed). */
export async function peekUnsubscribe(token: unknown) {
  if (!looksLikeToken(token)) return null;
  const [row] = await db
    .select({ userId: schema.unsubscribeTokens.userId, kind: schema.unsubscribeTokens.kind })
    .from(schema.unsubscribeTokens)
    .where(eq(schema.unsubscribeTokens.tokenHash, sha256hex(token)));
  if (!row) return null;
  const prefs = await preferencesOf(row.userId);
  const summary = row.kind === "daily" || row.kind === "weekly";
  return {
    userId: row.userId,
    kind: row.kind,
    label: summary ? `your ${row.kind} summary` : `“${NEWS_KIND_INFO[row.kind as NewsKind].label}”`,
    stopped: summary ? !NEWS_KINDS.some((k) => prefs[k] === row.kind) : prefs[row.kind as NewsKind] === "never",
    prefs,
  };
}

/**
 * Stops mail of the token's kind (for a summary: every kind now sent in it), at once and
 * idempotently; null when the token is unknown.
 */
export async function unsubscribe(token: unknown): Promise<{ kind: UnsubscribeKind } | null> {
  const found = await peekUnsubscribe(token);
  if (!found) return null;
  const kinds = found.kind === "daily" || found.kind === "weekly" ? NEWS_KINDS.filter((k) => found.prefs[k] === found.kind) : [found.kind];
  for (const kind of kinds) {
    await db
      .insert(schema.emailPreferences)
      .values({ userId: found.userId, kind, cadence: "never" })
      .onConflictDoUpdate({
        target: [schema.emailPreferences.userId, schema.emailPreferences.kind],
        set: { cadence: "never", updatedAt: sql`now()` },
      });
  }
  return { kind: found.kind };
}
