import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountTag } from "../../app/auth/device.server";
import { validateSessionToken } from "../../app/auth/session.server";
import { deleteAccount, exportUserData } from "../../app/models/account-data.server";
import {
  ACCOUNT_GUESSED,
  changePassword,
  EXPIRED_LINK,
  LOGIN_FAILED,
  logIn,
  requestPasswordReset,
  requestSignInLink,
  resetPassword,
  SIGN_IN_LINK_SENT,
  signInWithLink,
  signUp,
  verifyEmail,
} from "../../app/models/users.server";
import { sha256hex } from "../../app/utils/crypto.server";
import { db, schema } from "../../app/utils/db.server";
import { cookieToken, lastMailTo, makePerson, tokenFromMail } from "../fixtures/people";
import { testDatabaseKind } from "../setup/database";

const APP = "http://convene.test";
const ua = "vitest";
let ipCounter = 0;
const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

describe("sign up", () => {
  it("creates the account, stores only a hash of the session token, and emails a verification link", async () => {
    const result = await signUp({
      name: "Rosa Parkes",
      email: "Rosa@Example.org",
      password: "a long enough password",
      ip: freshIp(),
      userAgent: ua,
      appUrl: APP,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.email).toBe("rosa@example.org");
    expect(result.user.emailVerifiedAt).toBeNull();

    const token = cookieToken(result.cookie);
    const stored = await db.select().from(schema.sessions).where(eq(schema.sessions.userId, result.user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0].id).not.toBe(token);
    expect(stored[0].id).toBe(sha256hex(token));
    expect((await validateSessionToken(token)).user?.id).toBe(result.user.id);
    // The stored id is not a credential: presenting it as a cookie gets nowhere.
    expect((await validateSessionToken(stored[0].id)).user).toBeNull();

    const mail = await lastMailTo("rosa@example.org");
    expect(mail?.subject).toMatch(/confirm your email/i);
    const verifyToken = tokenFromMail(mail!.text, "/verify-email");
    expect(await verifyEmail(verifyToken)).toMatchObject({ ok: true });
    expect(await verifyEmail(verifyToken)).toMatchObject({ ok: false, message: EXPIRED_LINK });
    const [user] = await db.select().from(schema.users).where(eq(schema.users.id, result.user.id));
    expect(user.emailVerifiedAt).not.toBeNull();
  });

  it("refuses an address already in use, whatever its case", async () => {
    const p = await makePerson();
    const result = await signUp({ name: "Dup", email: p.email.toUpperCase(), password: "another long password", ip: freshIp(), userAgent: ua, appUrl: APP });
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(result.ok ? null : result.fieldErrors?.email).toMatch(/already uses this email/);
  });

  it("signups are rate limited per IP and per address", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      await signUp({ name: "Many", email: `many${i}@example.org`, password: "a long enough password", ip, userAgent: ua, appUrl: APP });
    }
    const blocked = await signUp({ name: "Many", email: "many-more@example.org", password: "a long enough password", ip, userAgent: ua, appUrl: APP });
    expect(blocked).toMatchObject({ ok: false, status: 429 });
    expect(await db.select().from(schema.users).where(eq(schema.users.email, "many-more@example.org"))).toHaveLength(0);

    const p = await makePerson();
    for (let i = 0; i < 5; i++) {
      await signUp({ name: "Probe", email: p.email, password: "a long enough password", ip: freshIp(), userAgent: ua, appUrl: APP });
    }
    expect(await signUp({ name: "Probe", email: p.email, password: "a long enough password", ip: freshIp(), userAgent: ua, appUrl: APP })).toMatchObject({
      status: 429,
    });
  });

  it("two simultaneous signups for one address make one account", async () => {
    const email = "race@example.org";
    const results = await Promise.all(
      [1, 2, 3].map(() => signUp({ name: "Racer", email, password: "a long enough password", ip: freshIp(), userAgent: ua, appUrl: APP })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.select().from(schema.users).where(eq(schema.users.email, email))).toHaveLength(1);
  });
});

describe("log in", () => {
  it("wrong password and unknown email get the same message", async () => {
    const p = await makePerson();
    const wrong = await logIn({ email: p.email, password: "not the password", ip: freshIp(), userAgent: ua });
    const unknown = await logIn({ email: "nobody-here@example.org", password: "whatever it is", ip: freshIp(), userAgent: ua });
    expect(wrong).toEqual({ ok: false, status: 400, message: LOGIN_FAILED });
    expect(unknown).toEqual(wrong);
    expect(await logIn({ email: p.email.toUpperCase(), password: p.password, ip: freshIp(), userAgent: ua })).toMatchObject({ ok: true });
  });

  it("after 10 failures for an account, the 11th attempt is refused with 429, even with the right password", async () => {
    const p = await makePerson();
    for (let i = 0; i < 10; i++) {
      expect(await logIn({ email: p.email, password: `wrong ${i}`, ip: freshIp(), userAgent: ua })).toMatchObject({ status: 400 });
    }
    const blocked = await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua });
    expect(blocked).toMatchObject({ ok: false, status: 429, message: ACCOUNT_GUESSED, accountPaused: true });
    expect(blocked.ok ? 0 : blocked.retryAfterSeconds).toBeGreaterThan(800);
  });

  it("the owner logs in from a browser that has logged in before while their address is being guessed at elsewhere", async () => {
    const p = await makePerson();
    const knownAccounts = [accountTag(p.id)];
    for (let i = 0; i < 12; i++) await logIn({ email: p.email, password: `guess ${i}`, ip: freshIp(), userAgent: "attacker" });
    // An unknown browser is paused (and offered an emailed link) …
    expect(await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua })).toMatchObject({ ok: false, status: 429, accountPaused: true });
    // … the owner's own browser is not.
    expect(await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua, knownAccounts })).toMatchObject({ ok: true });
    // A known browser still meets the per-address limits: guessing from it is paused too.
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await logIn({ email: p.email, password: `from here ${i}`, ip, userAgent: ua, knownAccounts });
    expect(await logIn({ email: p.email, password: p.password, ip, userAgent: ua, knownAccounts })).toMatchObject({ ok: false, status: 429 });
  });

  it("a paused account's owner can sign in with an emailed single-use link", async () => {
    const p = await makePerson();
    expect(await requestSignInLink({ email: p.email, ip: freshIp(), appUrl: APP })).toEqual({ ok: true, message: SIGN_IN_LINK_SENT });
    expect(await requestSignInLink({ email: "nobody-here@example.org", ip: freshIp(), appUrl: APP })).toEqual({ ok: true, message: SIGN_IN_LINK_SENT });
    expect(await lastMailTo("nobody-here@example.org")).toBeNull();
    const token = tokenFromMail((await lastMailTo(p.email))!.text, "/sign-in");
    expect(await signInWithLink({ token, userAgent: ua })).toMatchObject({ ok: true });
    expect(await signInWithLink({ token, userAgent: ua })).toMatchObject({ ok: false, status: 400 });
  });

  it.runIf(testDatabaseKind() === "postgres")("rate-limit rows hold keyed hashes, never an address", async () => {
    const p = await makePerson();
    await logIn({ email: p.email, password: "wrong password", ip: freshIp(), userAgent: ua });
    const rows = (await db.execute<{ key: string }>(sql`select key from rate_limits`)).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.key.includes("@") || r.key.includes(p.email))).toEqual([]);
  });

  it("after 30 failures from one IP, that IP is refused for every account", async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++) await logIn({ email: `someone${i}@example.org`, password: "guess guess", ip, userAgent: ua });
    const p = await makePerson();
    expect(await logIn({ email: p.email, password: p.password, ip, userAgent: ua })).toMatchObject({ ok: false, status: 429 });
    expect(await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua })).toMatchObject({ ok: true });
  });
});

describe("password reset", () => {
  it("resets once with the emailed link, ends every session, and the link cannot be reused", async () => {
    const p = await makePerson();
    const session = await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua });
    expect(session.ok).toBe(true);
    expect(await requestPasswordReset({ email: p.email, ip: freshIp(), appUrl: APP })).toEqual({ ok: true });
    const token = tokenFromMail((await lastMailTo(p.email))!.text, "/reset-password");

    const reset = await resetPassword({ token, password: "a brand new password", userAgent: ua });
    expect(reset.ok).toBe(true);
    if (session.ok) expect((await validateSessionToken(cookieToken(session.cookie))).user).toBeNull();
    expect(await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua })).toMatchObject({ ok: false });
    expect(await logIn({ email: p.email, password: "a brand new password", ip: freshIp(), userAgent: ua })).toMatchObject({ ok: true });

    expect(await resetPassword({ token, password: "yet another password", userAgent: ua })).toMatchObject({ ok: false, message: EXPIRED_LINK });
    expect(await logIn({ email: p.email, password: "yet another password", ip: freshIp(), userAgent: ua })).toMatchObject({ ok: false });
  });

  it("an expired link is refused and changes nothing", async () => {
    const p = await makePerson();
    await requestPasswordReset({ email: p.email, ip: freshIp(), appUrl: APP });
    const token = tokenFromMail((await lastMailTo(p.email))!.text, "/reset-password");
    await db
      .update(schema.authTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.authTokens.tokenHash, sha256hex(token)));
    expect(await resetPassword({ token, password: "a brand new password", userAgent: ua })).toMatchObject({ ok: false, message: EXPIRED_LINK });
    expect(await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua })).toMatchObject({ ok: true });
  });

  it("links expire after one hour", async () => {
    const p = await makePerson();
    const before = Date.now();
    await requestPasswordReset({ email: p.email, ip: freshIp(), appUrl: APP });
    const [row] = await db.select().from(schema.authTokens).where(eq(schema.authTokens.userId, p.id));
    const ttl = row.expiresAt.getTime() - before;
    expect(ttl).toBeGreaterThan(59 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000 + 5000);
  });

  it("an unknown address gets the same answer and no mail", async () => {
    expect(await requestPasswordReset({ email: "ghost@example.org", ip: freshIp(), appUrl: APP })).toEqual({ ok: true });
    expect(await lastMailTo("ghost@example.org")).toBeNull();
  });

  it("a throttled reset says so, in the same words for an address with an account and without", async () => {
    const p = await makePerson();
    const ghost = "nobody-at-all@example.org";
    for (let i = 0; i < 3; i++) {
      expect(await requestPasswordReset({ email: p.email, ip: freshIp(), appUrl: APP })).toEqual({ ok: true });
      expect(await requestPasswordReset({ email: ghost, ip: freshIp(), appUrl: APP })).toEqual({ ok: true });
    }
    const owner = await requestPasswordReset({ email: p.email, ip: freshIp(), appUrl: APP });
    const unknown = await requestPasswordReset({ email: ghost, ip: freshIp(), appUrl: APP });
    expect(owner).toMatchObject({ ok: false, status: 429, message: expect.stringContaining("Use the newest one") });
    expect(unknown.ok ? "" : unknown.message).toBe(owner.ok ? "" : owner.message);
  });

  it("reset requests are rate limited per IP", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect(await requestPasswordReset({ email: `x${i}@example.org`, ip, appUrl: APP })).toEqual({ ok: true });
    expect(await requestPasswordReset({ email: "x@example.org", ip, appUrl: APP })).toMatchObject({ ok: false, status: 429 });
  });
});

describe("change password", () => {
  it("ends every other session but keeps the current one", async () => {
    const p = await makePerson();
    const a = await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: "laptop" });
    const b = await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: "phone" });
    if (!a.ok || !b.ok) throw new Error("login failed");
    const current = await validateSessionToken(cookieToken(a.cookie));
    const result = await changePassword({
      userId: p.id,
      currentSessionId: current.session!.id,
      currentPassword: p.password,
      newPassword: "completely different",
      appUrl: APP,
    });
    expect(result).toEqual({ ok: true, endedSessions: 1 });
    expect((await validateSessionToken(cookieToken(a.cookie))).user?.id).toBe(p.id);
    expect((await validateSessionToken(cookieToken(b.cookie))).user).toBeNull();
  });

  it("a wrong current password changes nothing", async () => {
    const p = await makePerson();
    const result = await changePassword({
      userId: p.id,
      currentSessionId: "x",
      currentPassword: "not it at all",
      newPassword: "completely different",
      appUrl: APP,
    });
    expect(result).toMatchObject({ ok: false, fieldErrors: { currentPassword: expect.any(String) } });
    expect(await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua })).toMatchObject({ ok: true });
  });

  it("current-password checks are throttled: after 5 wrong ones, even the right one waits", async () => {
    const p = await makePerson();
    for (let i = 0; i < 5; i++) {
      expect(
        await changePassword({ userId: p.id, currentSessionId: "x", currentPassword: `wrong ${i}`, newPassword: "completely different", appUrl: APP }),
      ).toMatchObject({ status: 400 });
    }
    expect(
      await changePassword({ userId: p.id, currentSessionId: "x", currentPassword: p.password, newPassword: "completely different", appUrl: APP }),
    ).toMatchObject({ ok: false, status: 429 });
    expect(await deleteAccount({ userId: p.id, password: p.password })).toMatchObject({ ok: false, status: 429 });
  });
});

describe("account deletion", () => {
  it("a deleted account cannot log in and its data is gone", async () => {
    const p = await makePerson();
    const s = await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua });
    await requestPasswordReset({ email: p.email, ip: freshIp(), appUrl: APP });
    expect(await deleteAccount({ userId: p.id, password: "wrong password!" })).toMatchObject({ ok: false });
    expect(await deleteAccount({ userId: p.id, password: p.password })).toEqual({ ok: true, message: "Your account and your data have been deleted." });

    expect(await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: ua })).toMatchObject({ ok: false, message: LOGIN_FAILED });
    if (s.ok) expect((await validateSessionToken(cookieToken(s.cookie))).user).toBeNull();
    expect(await db.select().from(schema.users).where(eq(schema.users.id, p.id))).toHaveLength(0);
    expect(await db.select().from(schema.sessions).where(eq(schema.sessions.userId, p.id))).toHaveLength(0);
    expect(await db.select().from(schema.authTokens).where(eq(schema.authTokens.userId, p.id))).toHaveLength(0);
    expect(await lastMailTo(p.email)).toBeNull();
    expect((await exportUserData(p.id)).profile).toBeNull();
  });

  it("export holds the person's profile, roles and sessions but no secrets", async () => {
    const p = await makePerson({ roles: ["organiser"] });
    await logIn({ email: p.email, password: p.password, ip: freshIp(), userAgent: "Firefox" });
    const data = await exportUserData(p.id);
    expect(data.profile).toMatchObject({ email: p.email, name: p.name });
    expect(data.roles).toEqual([expect.objectContaining({ role: "organiser" })]);
    expect(data.sessions).toEqual([expect.objectContaining({ device: "Firefox" })]);
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/argon2/);
    const [session] = await db.select().from(schema.sessions).where(eq(schema.sessions.userId, p.id));
    expect(text).not.toContain(session.id);
  });
});
