import { and, asc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { AuthTokenPurpose, User } from "../../db/schema";
import { accountTag } from "../auth/device.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../auth/password.server";
import { createSession } from "../auth/session.server";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { passwordChangedMessage, resetPasswordMessage, signInLinkMessage, verifyEmailMessage } from "../email/templates/account";
import { publish } from "../utils/bus.server";
import { newId, newToken, sha256hex } from "../utils/crypto.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { isUniqueViolation } from "../utils/db-errors.server";
import type { Done, Refused } from "../utils/outcome";
import { done, FIELDS_MESSAGE, refuse } from "../utils/outcome";
import { checkLimit, consumeLimit, resetLimit } from "../utils/rate-limit.server";

// Accounts: signup, login, email verification, password reset and change. Every rule
// about who may do what with an account lives here.

export const VERIFY_TOKEN_TTL_MS = 24 * 3_600_000;
export const RESET_TOKEN_TTL_MS = 3_600_000;

/** A refusal (app/utils/outcome.ts), with when to try again after a limit, and whether the account itself was paused. */
export type Failure = Refused<{ retryAfterSeconds?: number; accountPaused?: boolean }>;

export const LOGIN_FAILED = "That email and password do not match an account. Check them and try again.";

export async function getUserById(id: string): Promise<User | null> {
  const [u] = await db.select().from(schema.users).where(eq(schema.users.id, id)).limit(1);
  return u ?? null;
}

export async function getUserByEmail(email: string, tx: DbOrTx = db): Promise<User | null> {
  const [u] = await tx.select().from(schema.users).where(eq(schema.users.email, email.trim().toLowerCase())).limit(1);
  return u ?? null;
}

/** The refusal when a form names a person by an address nobody uses (appointing, reassigning). */
export const noOneWithThatEmail = () => refuse(400, FIELDS_MESSAGE, { fieldErrors: { email: "No one on Convene uses that email address" } });

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
    if (!limit.ok) return { ok: false, status: 429, message: limit.message, retryAfterSeconds: limit.retryAfterSeconds };
  }

  const taken = {
    ok: false as const,
    status: 409 as const,
    message: FIELDS_MESSAGE,
    fieldErrors: { email: "An account already uses this email address. Log in, or reset your password if you have forgotten it." },
  };
  if (await getUserByEmail(input.email)) return taken;

  const passwordHash = await hashPassword(input.password);
  let user: User;
  try {
    user = await db.transaction(async (tx) => {
      const [created] = await tx.insert(schema.users).values({ id: newId(), name: input.name, email: input.email.toLowerCase(), passwordHash }).returning();
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

export const ACCOUNT_GUESSED =
  "There have been too many wrong passwords for this account from browsers we do not recognise, so we have paused them for a while. If it is your account, we can email you a link that signs you in.";

/**
 * Logs in. Limits (rate-limit.server.ts): failures per IP, per account from that IP, and
 * per account from browsers that have never logged in to it; a browser whose device
 * cookie names the account (`knownAccounts`) is exempt from the last, so the owner is
 * never locked out by someone guessing elsewhere. `accountPaused` tells the page to offer
 * an emailed sign-in link. Unknown addresses get the same work and the same answers.
 */
export async function logIn(input: {
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
  knownAccounts?: string[];
}): Promise<{ ok: true; user: User; cookie: string } | (Failure & { accountPaused?: boolean })> {
  const email = input.email.trim().toLowerCase();
  const pairKey = `${email} ${input.ip}`;
  for (const check of [await checkLimit("login_ip", input.ip), await checkLimit("login_account_ip", pairKey)]) {
    if (!check.ok) return { ok: false, status: 429, message: check.message, retryAfterSeconds: check.retryAfterSeconds };
  }
  const user = await getUserByEmail(email);
  const trusted = !!user && (input.knownAccounts ?? []).includes(accountTag(user.id));
  if (!trusted) {
    const check = await checkLimit("login_account", email);
    if (!check.ok) return { ok: false, status: 429, message: ACCOUNT_GUESSED, retryAfterSeconds: check.retryAfterSeconds, accountPaused: true };
  }
  // Unknown address: same work (one argon2 verification), same answer.
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !valid) {
    await consumeLimit("login_ip", input.ip);
    await consumeLimit("login_account_ip", pairKey);
    if (!trusted) await consumeLimit("login_account", email);
    return { ok: false, status: 400, message: LOGIN_FAILED };
  }
  await resetLimit("login_account_ip", pairKey);
  const { cookie } = await createSession(user.id, input.userAgent);
  return { ok: true, user, cookie };
}

export const SIGN_IN_LINK_SENT = "If an account uses that address, we have emailed it a link that signs you in. The link works for 15 minutes, once.";
export const SIGN_IN_TOKEN_TTL_MS = 15 * 60_000;

/** Emails a single-use sign-in link (offered when an account is being guessed at). Same answer for any address. */
export async function requestSignInLink(input: { email: string; ip: string; appUrl: string }): Promise<{ ok: true; message: string } | Failure> {
  const email = input.email.trim().toLowerCase();
  for (const limit of [await consumeLimit("reset_ip", input.ip), await consumeLimit("sign_in_link", email)]) {
    if (!limit.ok)
      return {
        ok: false,
        status: 429,
        message: `We have sent several links to this address recently. Use the newest one, or try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`,
        retryAfterSeconds: limit.retryAfterSeconds,
      };
  }
  const user = await getUserByEmail(email);
  if (user) {
    await db.transaction(async (tx) => {
      const token = await issueToken(tx, user.id, "sign_in", SIGN_IN_TOKEN_TTL_MS);
      await enqueueEmail(tx, user.email, signInLinkMessage({ name: user.name, url: `${input.appUrl}/sign-in/${token}` }));
    });
    notifyOutbox();
  } else {
    await verifyAgainstDummy("same work either way");
  }
  return { ok: true, message: SIGN_IN_LINK_SENT };
}

/** Uses an emailed sign-in link (from its page's button: mail scanners follow links, never buttons). */
export async function signInWithLink(input: { token: string; userAgent: string | null }): Promise<{ ok: true; user: User; cookie: string } | Failure> {
  const userId = await db.transaction((tx) => useToken(tx, input.token, "sign_in"));
  if (!userId) return { ok: false, status: 400, message: EXPIRED_LINK };
  const user = await getUserById(userId);
  if (!user) return { ok: false, status: 400, message: EXPIRED_LINK };
  // The link proves the address.
  if (!user.emailVerifiedAt) await db.update(schema.users).set({ emailVerifiedAt: new Date() }).where(eq(schema.users.id, user.id));
  await resetLimit("login_account", user.email);
  const { cookie } = await createSession(user.id, input.userAgent);
  return { ok: true, user, cookie };
}

// ---------------------------------------------------------------- email verification

export async function resendVerification(userId: string, appUrl: string): Promise<Done | Failure> {
  const user = await getUserById(userId);
  if (!user) return { ok: false, status: 404, message: "Account not found" };
  if (user.emailVerifiedAt) return { ok: false, status: 409, message: "Your email address is already confirmed." };
  const limit = await consumeLimit("verify_resend", userId);
  if (!limit.ok) return { ok: false, status: 429, message: limit.message, retryAfterSeconds: limit.retryAfterSeconds };
  await db.transaction(async (tx) => {
    const token = await issueToken(tx, user.id, "verify_email", VERIFY_TOKEN_TTL_MS);
    await enqueueEmail(tx, user.email, verifyEmailMessage({ name: user.name, url: `${appUrl}/verify-email/${token}` }));
  });
  notifyOutbox();
  return done(`We have sent a new confirmation link to ${user.email}.`);
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
  return userId ? { ok: true, userId } : { ok: false, status: 400, message: EXPIRED_LINK };
}

// ---------------------------------------------------------------- password reset

export const RESET_REQUESTED = "If an account uses that address, we have emailed it a link to choose a new password. The link works for 1 hour.";

export async function requestPasswordReset(input: { email: string; ip: string; appUrl: string }): Promise<{ ok: true } | Failure> {
  const limit = await consumeLimit("reset_ip", input.ip);
  if (!limit.ok) return { ok: false, status: 429, message: limit.message, retryAfterSeconds: limit.retryAfterSeconds };
  // Counted per address whether or not an account uses it, and said in the same words
  // either way: a throttled owner is told so (and to use the newest link) instead of
  // being told a link is on its way when none is.
  const perAddress = await consumeLimit("reset_account", input.email.trim().toLowerCase());
  if (!perAddress.ok) {
    return {
      ok: false,
      status: 429,
      message: `We have sent several links to this address in the last hour. Use the newest one, or try again in ${Math.ceil(perAddress.retryAfterSeconds / 60)} minutes.`,
      retryAfterSeconds: perAddress.retryAfterSeconds,
    };
  }
  const user = await getUserByEmail(input.email);
  if (!user) {
    // Same work as sending (a token and its hash), so timing does not tell either.
    sha256hex(newToken());
    return { ok: true };
  }
  await db.transaction(async (tx) => {
    const token = await issueToken(tx, user.id, "reset_password", RESET_TOKEN_TTL_MS);
    await enqueueEmail(tx, user.email, resetPasswordMessage({ name: user.name, url: `${input.appUrl}/reset-password/${token}` }));
  });
  notifyOutbox();
  return { ok: true };
}

/** Sets a new password from an emailed link, ends every session, and signs in afresh. */
export async function resetPassword(input: { token: string; password: string; userAgent: string | null }): Promise<{ ok: true; cookie: string } | Failure> {
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
  if (!result) return { ok: false, status: 400, message: EXPIRED_LINK };
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
  if (!user) return { ok: false, status: 404, message: "Account not found" };
  const paused = await checkLimit("password_check", user.id);
  if (!paused.ok)
    return { ok: false, status: 429, message: FIELDS_MESSAGE, fieldErrors: { currentPassword: paused.message }, retryAfterSeconds: paused.retryAfterSeconds };
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await consumeLimit("password_check", user.id);
    return { ok: false, status: 400, message: FIELDS_MESSAGE, fieldErrors: { currentPassword: "That is not your current password" } };
  }
  if (input.currentPassword === input.newPassword) {
    return { ok: false, status: 400, message: FIELDS_MESSAGE, fieldErrors: { newPassword: "Choose a password different from your current one" } };
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
