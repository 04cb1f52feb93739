import { and, asc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { db, schema, type DbOrTx } from "../utils/db.server";
import { isUniqueViolation } from "../utils/db-errors.server";
import { newId, newToken, sha256hex } from "../utils/crypto.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../auth/password.server";
import { createSession } from "../auth/session.server";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { passwordChangedMessage, resetPasswordMessage, verifyEmailMessage } from "../email/templates/account";
import { checkLimit, consumeLimit, resetLimit } from "../utils/rate-limit.server";
import { publish } from "../utils/bus.server";
import type { AuthTokenPurpose, User } from "../../db/schema";

// Accounts: signup, login, email verification, password reset and change. Every rule
// about who may do what with an account lives here.

export const VERIFY_TOKEN_TTL_MS = 24 * 3_600_000;
export const RESET_TOKEN_TTL_MS = 3_600_000;

export type Failure = {
  ok: false;
  status: 400 | 403 | 404 | 409 | 429;
  formError?: string;
  fieldErrors?: Partial<Record<string, string>>;
  retryAfterSeconds?: number;
};

export const LOGIN_FAILED = "That email and password do not match an account. Check them and try again.";

export async function getUserById(id: string): Promise<User | null> {
  const [u] = await db.select().from(schema.users).where(eq(schema.users.id, id)).limit(1);
  return u ?? null;
}

export async function getUserByEmail(email: string, tx: DbOrTx = db): Promise<User | null> {
  const [u] = await tx.select().from(schema.users).where(eq(schema.users.email, email.trim().toLowerCase())).limit(1);
  return u ?? null;
}

async function issueToken(tx: DbOrTx, userId: string, purpose: AuthTokenPurpose, ttlMs: number) {
  const token = newToken();
  await tx.insert(schema.authTokens).values({
    id: newId(),
    userId,
    purpose,
    tokenHash: sha256hex(token),
    expiresAt: new Date(Date.now() + ttlMs),
  });
  return token;
}


// ---------------------------------------------------------------- signup

export async function signUp(input: {
  name: string;
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
  appUrl: string;
}): Promise<{ ok: true; user: User; cookie: string } | Failure> {
  for (const limit of [await consumeLimit("signup_ip", input.ip), await consumeLimit("signup_account", input.email)]) {
    if (!limit.ok) return { ok: false, status: 429, formError: limit.message, retryAfterSeconds: limit.retryAfterSeconds };
  }

  const taken = { ok: false as const, status: 409 as const, fieldErrors: { email: "An account already uses this email address. Log in, or reset your password if you have forgotten it." } };
  if (await getUserByEmail(input.email)) return taken;

  const passwordHash = await hashPassword(input.password);
  let user: User;
  try {
    user = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(schema.users)
        .values({ id: newId(), name: input.name, email: input.email.toLowerCase(), passwordHash })
        .returning();
      const token = await issueToken(tx, created.id, "verify_email", VERIFY_TOKEN_TTL_MS);
      await enqueueEmail(tx, created.email, verifyEmailMessage({ name: created.name, url: `${input.appUrl}/verify-email/${token}` }));
      return created;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return taken; // two signups raced for one address
    throw err;
  }
  notifyOutbox();
  const { cookie } = await createSession(user.id, input.userAgent);
  return { ok: true, user, cookie };
}

// ---------------------------------------------------------------- login

export async function logIn(input: {
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
}): Promise<{ ok: true; user: User; cookie: string } | Failure> {
  const email = input.email.trim().toLowerCase();
  for (const check of [await checkLimit("login_ip", input.ip), await checkLimit("login_account", email)]) {
    if (!check.ok) return { ok: false, status: 429, formError: check.message, retryAfterSeconds: check.retryAfterSeconds };
  }
  const user = await getUserByEmail(email);
  // Unknown address: same work (one argon2 verification), same answer.
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !valid) {
    await consumeLimit("login_ip", input.ip);
    await consumeLimit("login_account", email);
    return { ok: false, status: 400, formError: LOGIN_FAILED };
  }
  await resetLimit("login_account", email);
  const { cookie } = await createSession(user.id, input.userAgent);
  return { ok: true, user, cookie };
}

// ---------------------------------------------------------------- email verification

export async function resendVerification(userId: string, appUrl: string): Promise<{ ok: true } | Failure> {
  const user = await getUserById(userId);
  if (!user) return { ok: false, status: 404, formError: "Account not found" };
  if (user.emailVerifiedAt) return { ok: false, status: 409, formError: "Your email address is already confirmed." };
  const limit = await consumeLimit("verify_resend", userId);
  if (!limit.ok) return { ok: false, status: 429, formError: limit.message, retryAfterSeconds: limit.retryAfterSeconds };
  await db.transaction(async (tx) => {
    const token = await issueToken(tx, user.id, "verify_email", VERIFY_TOKEN_TTL_MS);
    await enqueueEmail(tx, user.email, verifyEmailMessage({ name: user.name, url: `${appUrl}/verify-email/${token}` }));
  });
  notifyOutbox();
  return { ok: true };
}

/** Looks a single-use token up without using it (to decide which page to show). */
export async function peekToken(token: string, purpose: AuthTokenPurpose) {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ userId: schema.authTokens.userId, expiresAt: schema.authTokens.expiresAt })
    .from(schema.authTokens)
    .where(
      and(
        eq(schema.authTokens.tokenHash, sha256hex(token)),
        eq(schema.authTokens.purpose, purpose),
        isNull(schema.authTokens.usedAt),
        gt(schema.authTokens.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Marks the token used, atomically: only one caller ever gets its user id back. */
async function useToken(tx: DbOrTx, token: string, purpose: AuthTokenPurpose): Promise<string | null> {
  if (!token || token.length > 200) return null;
  const rows = await tx
    .update(schema.authTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(schema.authTokens.tokenHash, sha256hex(token)),
        eq(schema.authTokens.purpose, purpose),
        isNull(schema.authTokens.usedAt),
        gt(schema.authTokens.expiresAt, new Date()),
      ),
    )
    .returning({ userId: schema.authTokens.userId });
  return rows[0]?.userId ?? null;
}

export const EXPIRED_LINK = "This link has expired or has already been used. You can ask for a new one.";

export async function verifyEmail(token: string): Promise<{ ok: true; userId: string } | Failure> {
  const userId = await db.transaction(async (tx) => {
    const id = await useToken(tx, token, "verify_email");
    if (id) {
      await tx
        .update(schema.users)
        .set({ emailVerifiedAt: sql`coalesce(${schema.users.emailVerifiedAt}, now())`, updatedAt: new Date() })
        .where(eq(schema.users.id, id));
    }
    return id;
  });
  return userId ? { ok: true, userId } : { ok: false, status: 400, formError: EXPIRED_LINK };
}

// ---------------------------------------------------------------- password reset

export const RESET_REQUESTED =
  "If an account uses that address, we have emailed it a link to choose a new password. The link works for 1 hour.";

export async function requestPasswordReset(input: { email: string; ip: string; appUrl: string }): Promise<{ ok: true } | Failure> {
  const limit = await consumeLimit("reset_ip", input.ip);
  if (!limit.ok) return { ok: false, status: 429, formError: limit.message, retryAfterSeconds: limit.retryAfterSeconds };
  const user = await getUserByEmail(input.email);
  // Per-account limit: silently stops mail-bombing one address, reveals nothing.
  if (!user || !(await consumeLimit("reset_account", user.email)).ok) return { ok: true };
  await db.transaction(async (tx) => {
    const token = await issueToken(tx, user.id, "reset_password", RESET_TOKEN_TTL_MS);
    await enqueueEmail(tx, user.email, resetPasswordMessage({ name: user.name, url: `${input.appUrl}/reset-password/${token}` }));
  });
  notifyOutbox();
  return { ok: true };
}

/** Sets a new password from an emailed link, ends every session, and signs in afresh. */
export async function resetPassword(input: {
  token: string;
  password: string;
  userAgent: string | null;
}): Promise<{ ok: true; cookie: string } | Failure> {
  const passwordHash = await hashPassword(input.password);
  const result = await db.transaction(async (tx) => {
    const userId = await useToken(tx, input.token, "reset_password");
    if (!userId) return null;
    await tx.update(schema.users).set({ passwordHash, updatedAt: new Date() }).where(eq(schema.users.id, userId));
    // Other outstanding reset links die with this one.
    await tx
      .update(schema.authTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(schema.authTokens.userId, userId), eq(schema.authTokens.purpose, "reset_password"), isNull(schema.authTokens.usedAt)));
    // Receiving the link proves the address, too.
    await tx
      .update(schema.users)
      .set({ emailVerifiedAt: sql`coalesce(${schema.users.emailVerifiedAt}, now())` })
      .where(eq(schema.users.id, userId));
    const ended = await tx.delete(schema.sessions).where(eq(schema.sessions.userId, userId)).returning({ id: schema.sessions.id });
    return { userId, ended: ended.map((s) => s.id) };
  });
  if (!result) return { ok: false, status: 400, formError: EXPIRED_LINK };
  if (result.ended.length) publish("session.ended", { userId: result.userId, sessionIds: result.ended });
  const { cookie } = await createSession(result.userId, input.userAgent);
  return { ok: true, cookie };
}

// ---------------------------------------------------------------- password change

export async function changePassword(input: {
  userId: string;
  currentSessionId: string;
  currentPassword: string;
  newPassword: string;
  appUrl: string;
}): Promise<{ ok: true; endedSessions: number } | Failure> {
  const user = await getUserById(input.userId);
  if (!user) return { ok: false, status: 404, formError: "Account not found" };
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return { ok: false, status: 400, fieldErrors: { currentPassword: "That is not your current password" } };
  }
  if (input.currentPassword === input.newPassword) {
    return { ok: false, status: 400, fieldErrors: { newPassword: "Choose a password different from your current one" } };
  }
  const passwordHash = await hashPassword(input.newPassword);
  const ended = await db.transaction(async (tx) => {
    await tx.update(schema.users).set({ passwordHash, updatedAt: new Date() }).where(eq(schema.users.id, user.id));
    const rows = await tx
      .delete(schema.sessions)
      .where(and(eq(schema.sessions.userId, user.id), ne(schema.sessions.id, input.currentSessionId)))
      .returning({ id: schema.sessions.id });
    await enqueueEmail(tx, user.email, passwordChangedMessage({ name: user.name, url: `${input.appUrl}/forgot-password` }));
    return rows.map((r) => r.id);
  });
  notifyOutbox();
  if (ended.length) publish("session.ended", { userId: user.id, sessionIds: ended });
  return { ok: true, endedSessions: ended.length };
}

// ---------------------------------------------------------------- sessions

export async function listSessions(userId: string) {
  return db
    .select({
      id: schema.sessions.id,
      createdAt: schema.sessions.createdAt,
      expiresAt: schema.sessions.expiresAt,
      userAgent: schema.sessions.userAgent,
    })
    .from(schema.sessions)
    .where(and(eq(schema.sessions.userId, userId), gt(schema.sessions.expiresAt, new Date())))
    .orderBy(asc(schema.sessions.createdAt));
}
