import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { and, eq, lt, ne, sql } from "drizzle-orm";
import { type DatabaseSession, type DatabaseUser, Lucia, TimeSpan } from "lucia";
import type { PlatformRole } from "../../db/schema";
import { publish } from "../utils/bus.server";
import { newToken, sha256hex } from "../utils/crypto.server";
import { type Database, db, dbHandle, schema } from "../utils/db.server";
import { isProduction } from "../utils/env.server";
import { rememberSnapshot } from "../utils/request-memo.server";

// The only module that touches Lucia (unmaintained upstream since 2025: keep it
// replaceable). Lucia v3 stores session ids in plain text, so we generate the token,
// give Lucia its SHA-256 as the id, and keep the token only in the cookie
// (STACK.md rule 5, mirroring https://lucia-auth.com/sessions/basic).

export const SESSION_COOKIE = "convene_session";
/** How long a session lasts; Lucia extends it when less than half remains. */
export const SESSION_DAYS = 30;
/** However active, a session ends this long after the login that made it (OWASP session management). */
export const SESSION_ABSOLUTE_DAYS = 30;
const absoluteLimit = () => new Date(Date.now() - SESSION_ABSOLUTE_DAYS * 86_400_000);

/**
 * Lucia's Drizzle adapter, with the one query every signed-in request makes (session,
 * person and their platform roles) done as one prepared statement instead of two built
 * queries.
 */
class SessionAdapter extends DrizzlePostgreSQLAdapter {
  private readonly sessionAndUser;

  constructor(database: Database) {
    super(database as never, schema.sessions, schema.users);
    const { sessions: s, users: u, userRoles: r } = schema;
    this.sessionAndUser = database
      .select({
        id: s.id,
        userId: s.userId,
        expiresAt: s.expiresAt,
        createdAt: s.createdAt,
        userAgent: s.userAgent,
        email: u.email,
        name: u.name,
        emailVerifiedAt: u.emailVerifiedAt,
        roles: sql<PlatformRole[]>`coalesce((select array_agg(${r.role}::text order by ${r.role}) from ${r} where ${r.userId} = ${u.id}), '{}')`,
        // The header's unread count, read with the session (counted up to 100: "99+").
        unread: sql<number>`(select count(*)::int from (select 1 from notifications n where n.user_id = ${u.id} and n.read_at is null limit 100) x)`,
        // What the database looked like to this request: reads shared between requests are
        // valid while it is unchanged (app/utils/request-memo.server.ts).
        snapshot: sql<string>`pg_current_snapshot()::text`,
      })
      .from(s)
      .innerJoin(u, eq(s.userId, u.id))
      .where(eq(s.id, sql.placeholder("sessionId")))
      .prepare("convene_session_and_user");
  }

  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await this.sessionAndUser.execute({ sessionId });
    if (!row) return [null, null];
    rememberSnapshot(row.snapshot);
    if (row.createdAt < absoluteLimit()) {
      // Past its absolute lifetime: gone, whatever its sliding expiry says.
      await db.delete(schema.sessions).where(eq(schema.sessions.id, row.id));
      return [null, null];
    }
    return [
      { id: row.id, userId: row.userId, expiresAt: row.expiresAt, attributes: { createdAt: row.createdAt, userAgent: row.userAgent } },
      { id: row.userId, attributes: { email: row.email, name: row.name, emailVerifiedAt: row.emailVerifiedAt, roles: row.roles, unread: row.unread } },
    ];
  }
}

function createLucia() {
  const adapter = new SessionAdapter(dbHandle().db);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(SESSION_DAYS, "d"),
    sessionCookie: {
      name: SESSION_COOKIE,
      expires: true,
      attributes: { secure: isProduction(), sameSite: "lax", path: "/" },
    },
    getUserAttributes: (a) => ({
      email: a.email,
      name: a.name,
      emailVerifiedAt: a.emailVerifiedAt,
      roles: a.roles ?? [],
      unread: a.unread ?? 0,
    }),
  });
}

// One Lucia per database handle (tests swap handles between files).
const g = globalThis as typeof globalThis & { __conveneLucia?: { handle: unknown; lucia: ReturnType<typeof createLucia> } };
function lucia() {
  const handle = dbHandle();
  if (!g.__conveneLucia || g.__conveneLucia.handle !== handle) {
    g.__conveneLucia = { handle, lucia: createLucia() };
  }
  return g.__conveneLucia.lucia;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    // roles are read with the session (SessionAdapter); other user reads leave them out.
    DatabaseUserAttributes: { email: string; name: string; emailVerifiedAt: Date | null; roles?: PlatformRole[]; unread?: number };
    DatabaseSessionAttributes: { userAgent: string | null; createdAt?: Date };
  }
}

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  emailVerifiedAt: Date | null;
  /** Unread notifications (up to 100), read with the session. */
  unread?: number;
};
export type CurrentSession = { id: string; userId: string; expiresAt: Date; fresh: boolean };

export async function createSession(userId: string, userAgent: string | null) {
  const token = newToken();
  const session = await lucia().createSession(userId, { userAgent: userAgent?.slice(0, 300) ?? null }, { sessionId: sha256hex(token) });
  return { token, session, cookie: lucia().createSessionCookie(token).serialize() };
}

export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  return lucia().readSessionCookie(cookieHeader ?? "");
}

/** Validates a cookie's token; returns a refreshed Set-Cookie when Lucia extended the session. */
export async function validateSessionToken(token: string | null) {
  if (!token) return { user: null, session: null, setCookie: null };
  const { user, session } = await lucia().validateSession(sha256hex(token));
  if (!user || !session) return { user: null, session: null, setCookie: lucia().createBlankSessionCookie().serialize() };
  const setCookie = session.fresh ? lucia().createSessionCookie(token).serialize() : null;
  return {
    user: { id: user.id, email: user.email, name: user.name, emailVerifiedAt: user.emailVerifiedAt, roles: user.roles, unread: user.unread } as SessionUser & {
      roles: PlatformRole[];
    },
    session: { id: session.id, userId: session.userId, expiresAt: session.expiresAt, fresh: session.fresh } as CurrentSession,
    setCookie,
  };
}

export const blankSessionCookie = () => lucia().createBlankSessionCookie().serialize();

export async function endSession(sessionId: string, userId: string) {
  const deleted = await db
    .delete(schema.sessions)
    .where(and(eq(schema.sessions.id, sessionId), eq(schema.sessions.userId, userId)))
    .returning({ id: schema.sessions.id });
  if (deleted.length) publish("session.ended", { userId, sessionIds: deleted.map((d) => d.id) });
  return deleted.length > 0;
}

/** Ends every session of a person except `keep` (null ends them all). */
export async function endOtherSessions(userId: string, keep: string | null) {
  const where = keep ? and(eq(schema.sessions.userId, userId), ne(schema.sessions.id, keep)) : eq(schema.sessions.userId, userId);
  const deleted = await db.delete(schema.sessions).where(where).returning({ id: schema.sessions.id });
  if (deleted.length) publish("session.ended", { userId, sessionIds: deleted.map((d) => d.id) });
  return deleted.length;
}

export async function deleteExpiredSessions() {
  await lucia().deleteExpiredSessions();
  await db.delete(schema.sessions).where(lt(schema.sessions.createdAt, absoluteLimit()));
}
