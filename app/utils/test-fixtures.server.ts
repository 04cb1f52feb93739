import { and, eq, sql } from "drizzle-orm";
import express, { type NextFunction, type Request, type Response } from "express";
import type { PlatformRole } from "../../db/schema";
import { hashPassword } from "../auth/password.server";
import { createSession } from "../auth/session.server";
import { erasePerson } from "../models/account-data.server";
import { newId } from "./crypto.server";
import { db, dbHandle, schema } from "./db.server";
import { isLoopbackPeer } from "./origin.server";

// Fixtures for tests that drive the real server while it holds the embedded database
// (PGlite is one process): make people, sessions and memberships, and read a digest of
// the data to prove that a refused request changed nothing. Mounted by server.ts only
// when NODE_ENV=test, and answering only requests from this machine.

/** Tables whose rows change on their own (sessions slide, limits count, jobs and mail run). */
const VOLATILE = new Set([
  "sessions",
  "rate_limits",
  "job_runs",
  "email_outbox",
  "socket_io_attachments",
  "calendar_feeds",
  "event_reminders_sent",
  "digests_sent",
  "__drizzle_migrations",
]);

let watching: Promise<void> | null = null;

/**
 * Counts every row written to every table but the volatile ones, from triggers this
 * fixture installs in the test database (never in any other): a refused request must
 * leave every count as it was. Cheaper than hashing the data after each request, and
 * stricter (a write that happens to leave a row as it was still counts). A thread's row
 * made the first time its page is shown (no messages yet) is not counted.
 */
function watchWrites(): Promise<void> {
  watching ??= (async () => {
    await db.execute(sql.raw(`create table if not exists test_writes (table_name text primary key, n bigint not null default 0)`));
    await db.execute(
      sql.raw(`
      create or replace function test_count_write() returns trigger language plpgsql as $$
      begin
        if TG_TABLE_NAME = 'threads' and TG_OP = 'INSERT' then
          if NEW.last_change = 0 then return null; end if;
        end if;
        insert into test_writes (table_name, n) values (TG_TABLE_NAME, 1)
          on conflict (table_name) do update set n = test_writes.n + 1;
        return null;
      end $$;`),
    );
    const tables = await db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'test_writes'`,
    );
    // Mail queued by a refused request counts; the worker's updates to the outbox do not.
    await db.execute(sql.raw(`drop trigger if exists test_count_write on email_outbox`));
    await db.execute(sql.raw(`create trigger test_count_write after insert on email_outbox for each row execute function test_count_write()`));
    for (const { table_name: t } of tables.rows) {
      if (VOLATILE.has(t)) continue;
      await db.execute(sql.raw(`drop trigger if exists test_count_write on "${t}"`));
      await db.execute(sql.raw(`create trigger test_count_write after insert or update or delete on "${t}" for each row execute function test_count_write()`));
    }
  })();
  return watching;
}

/** How many rows each table has had written (the outbox: how many were queued). */
export async function dataDigest(): Promise<Record<string, string>> {
  await watchWrites();
  const rows = (await db.execute<{ t: string; h: string }>(sql`select table_name as t, n::text as h from test_writes`)).rows;
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

/**
 * With `x-test-digest: 1`, from this machine: the answer carries the digest of the data as it
 * was when the request arrived (header `x-test-digest`). The fuzz sweep sends its requests
 * one after another, so the next answer tells it what a refused request wrote, without a
 * request of its own to ask (a sixth of the sweep's time went on asking).
 */
export function digestOnArrival(req: Request, res: Response, next: NextFunction) {
  if (req.headers["x-test-digest"] !== "1" || !isLoopbackPeer(req.socket.remoteAddress)) return next();
  dataDigest().then((d) => {
    res.setHeader("x-test-digest", JSON.stringify(d));
    next();
  }, next);
}

/**
 * Every fixture person has the same password: hashed once per process (a fresh salt would
 * make no difference to any test, and argon2id at production cost is the slowest part of
 * making a person). Logging in still verifies it as for anyone.
 */
let fixtureHash: Promise<string> | null = null;
const fixturePasswordHash = () => (fixtureHash ??= hashPassword("correct horse battery"));

export function testFixtures() {
  const router = express.Router();
  router.use((req, res, next) => {
    if (!isLoopbackPeer(req.socket.remoteAddress)) return void res.status(404).end();
    next();
  });
  router.use(express.json({ limit: "64kb" }));

  const handle = (fn: (req: Request) => Promise<unknown>) => (req: Request, res: Response) => {
    fn(req)
      .then((body) => res.json(body ?? { ok: true }))
      .catch((err) => res.status(400).json({ ok: false, error: err instanceof Error ? err.message : String(err) }));
  };

  /** { name, email, verified?, roles? } → { id, email } */
  router.post(
    "/person",
    handle(async (req) => {
      const b = req.body as { name: string; email: string; verified?: boolean; roles?: PlatformRole[] };
      const id = newId();
      await db.insert(schema.users).values({
        id,
        email: b.email.toLowerCase(),
        name: b.name,
        passwordHash: await fixturePasswordHash(),
        emailVerifiedAt: b.verified === false ? null : new Date(),
      });
      for (const role of b.roles ?? []) await db.insert(schema.userRoles).values({ userId: id, role });
      return { id, email: b.email.toLowerCase() };
    }),
  );

  /** { email } → { cookie } (a real session, as logging in makes) */
  router.post(
    "/session",
    handle(async (req) => {
      const [user] = await db
        .select({ id: schema.users.id })
        .from(schema.users)
        .where(eq(schema.users.email, String(req.body.email).toLowerCase()));
      if (!user) throw new Error("no such person");
      const { cookie } = await createSession(user.id, "test-fixture");
      return { cookie: cookie.split(";")[0] };
    }),
  );

  /** { community (slug), email, status: "active" | "pending", role? } */
  router.post(
    "/membership",
    handle(async (req) => {
      const b = req.body as { community: string; email: string; status: "active" | "pending"; role?: "member" | "facilitator" };
      const [c] = await db.select({ id: schema.communities.id }).from(schema.communities).where(eq(schema.communities.slug, b.community));
      const [u] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, b.email.toLowerCase()));
      if (!c || !u) throw new Error("no such community or person");
      await db.delete(schema.communityMemberships).where(and(eq(schema.communityMemberships.communityId, c.id), eq(schema.communityMemberships.userId, u.id)));
      await db.insert(schema.communityMemberships).values({
        communityId: c.id,
        userId: u.id,
        status: b.status,
        role: b.role ?? "member",
        joinedAt: b.status === "active" ? new Date() : null,
      });
    }),
  );

  /** { ids } → { erased }: people removed as deleting their accounts removes them (sessions, data, name in history). */
  router.post(
    "/forget",
    handle(async (req) => {
      let erased = 0;
      for (const id of (req.body.ids ?? []) as string[]) if (await erasePerson(String(id))) erased++;
      return { erased };
    }),
  );

  /** { sql } → { rows }: setup a test needs that no fixture above makes (this server holds the only connection to PGlite). */
  router.post(
    "/sql",
    handle(async (req) => ({ rows: (await db.execute(sql.raw(String(req.body.sql)))).rows })),
  );

  /** → { digest } of the data (see dataDigest) */
  router.get(
    "/digest",
    handle(async () => ({ digest: await dataDigest(), db: dbHandle().kind })),
  );

  return router;
}
