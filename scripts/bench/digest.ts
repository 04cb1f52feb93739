// Benchmark: push updates at scale.
//
// digest_build_ms, digest_rss_mb: 10,000 people (BENCH_DIGEST_PEOPLE) each following 20 of
// 1,000 spaces, 2,000 changes in a week (each notifying the space's followers, as notify
// would: about 40 entries per person), then every weekly summary built and enqueued by the
// job's own code (sendDigests), in this process, against a throwaway PostgreSQL database
// made beside DATABASE_URL's. Peak memory is this process's resident set while it runs.
//
// notify_fanout_ms: against the server at BASE_URL (its database at DATABASE_URL): a
// community with 5,000 followers (BENCH_FANOUT_FOLLOWERS), BENCH_FANOUT_SOCKETS of them
// connected (default all), an organiser publishes an event in it over HTTP; the time until
// every notification row exists (the publish's response: they are written in its
// transaction) and every connected follower's unread count has moved.
//
//   DATABASE_URL=postgres://…/convene_bench BASE_URL=http://localhost:3100 npx tsx scripts/bench/digest.ts
import { performance } from "node:perf_hooks";
import { eq, inArray, sql } from "drizzle-orm";
import pg from "pg";
import { io as connectSocket, type Socket } from "socket.io-client";
import { sendDigests } from "../../app/jobs/digests.server";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/protocol";
import { newId } from "../../app/utils/crypto.server";
import { useDatabaseHandle as install } from "../../app/utils/db.server";
import { migrateDatabase, openDatabase } from "../../db/client";
import * as schema from "../../db/schema";
import { BASE_URL, benchPeople, connect, removeBenchPeople, round, run } from "./common";

const PEOPLE = Number(process.env.BENCH_DIGEST_PEOPLE ?? 10_000);
const SPACES = 1000;
const FOLLOWS_EACH = 20;
const CHANGES = 2000;
const FOLLOWERS = Number(process.env.BENCH_FANOUT_FOLLOWERS ?? 5000);
const SOCKETS = Number(process.env.BENCH_FANOUT_SOCKETS ?? FOLLOWERS);

async function adminQuery(base: string, text: string) {
  const u = new URL(base);
  u.pathname = "/postgres";
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function digestBuild(base: string) {
  const name = `convene_digest_bench_${process.pid}`;
  await adminQuery(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString(), max: 4 });
  try {
    await migrateDatabase(handle);
    install(handle);
    const db = handle.db;
    await db.execute(sql`
      insert into users (id, email, name, password_hash)
      select 'dg-' || u, 'dg-' || u || '@bench.example', 'Bench Person ' || u, 'x' from generate_series(1, ${PEOPLE}) u`);
    await db.execute(sql`
      insert into follows (user_id, subject_kind, subject_id)
      select 'dg-' || u, 'community', 'space-' || ((u * 7 + k * 50) % ${SPACES}) from generate_series(1, ${PEOPLE}) u, generate_series(0, ${FOLLOWS_EACH - 1}) k
      on conflict do nothing`);
    await db.execute(sql`
      insert into notifications (id, user_id, kind, subject_key, space_kind, space_title, text, path, created_at, updated_at)
      select gen_random_uuid()::text, f.user_id, 'events', 'event:' || c, 'community', 'Space ' || (c % ${SPACES}), 'New event: change ' || c,
             '/events/change-' || c, now() - interval '7 days' + c * interval '4 minutes', now() - interval '7 days' + c * interval '4 minutes'
        from generate_series(1, ${CHANGES}) c
        join follows f on f.subject_kind = 'community' and f.subject_id = 'space-' || (c % ${SPACES})`);
    await db.execute(sql`analyze`);
    const [{ n }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from notifications`)).rows;
    console.error(`bench: ${PEOPLE} people, ${n} notifications waiting`);

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const t0 = performance.now();
    const sent = await sendDigests(new Date(Date.now() + 7 * 86_400_000));
    const ms = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const [{ mails }] = (await db.execute<{ mails: number }>(sql`select count(*)::int as mails from email_outbox`)).rows;
    console.log(`digest_people: ${PEOPLE}`);
    console.log(`digest_notifications: ${n}`);
    console.log(`digest_sent: ${sent}`);
    console.log(`digest_mails_enqueued: ${mails}`);
    console.log(`digest_build_ms: ${Math.round(ms)}`);
    console.log(`digest_rss_mb: ${Math.round(peak / 1024 / 1024)}`);
  } finally {
    install(undefined);
    await handle.close();
    await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

async function fanout() {
  const handle = await connect();
  const db = handle.db;
  const tag = `fanout-${process.pid}`;
  try {
    const made = await benchPeople(db, `${tag}-org`, 1);
    const organiser = { id: made.people[0].id, token: made.tokens[0] };
    await db.insert(schema.userRoles).values({ userId: organiser.id, role: "organiser" });
    const communityId = newId();
    const slug = `bench-fanout-${process.pid}`;
    await db.insert(schema.communities).values({ id: communityId, slug, name: `Bench fan-out ${process.pid}` });
    await db.insert(schema.communityMemberships).values({ communityId, userId: organiser.id, role: "facilitator", status: "active", joinedAt: new Date() });
    const many = await benchPeople(db, `${tag}-f`, FOLLOWERS);
    const followers = many.people.map((p, i) => ({ id: p.id, token: many.tokens[i] }));
    for (let i = 0; i < followers.length; i += 1000) {
      await db
        .insert(schema.follows)
        .values(followers.slice(i, i + 1000).map((f) => ({ userId: f.id, subjectKind: "community" as const, subjectId: communityId })));
    }
    const eventId = newId();
    const eventSlug = `${slug}-event`;
    const startsAt = new Date(Date.now() + 20 * 86_400_000);
    await db.insert(schema.events).values({
      id: eventId,
      slug: eventSlug,
      kind: "webinar",
      title: "Fan-out briefing",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
      joinUrl: "https://meet.example.org/fanout",
      state: "draft",
      communityId,
    });
    await db.insert(schema.eventOrganisers).values({ eventId, userId: organiser.id });

    // Connect the followers' sockets, a few hundred at a time.
    const sockets: Client[] = [];
    const moved: number[] = [];
    let t0 = 0;
    for (let i = 0; i < SOCKETS; i += 250) {
      const batch = await Promise.all(
        followers.slice(i, Math.min(i + 250, SOCKETS)).map(
          (f) =>
            new Promise<Client>((resolve, reject) => {
              const s: Client = connectSocket(BASE_URL, {
                transports: ["websocket"],
                extraHeaders: { origin: process.env.APP_URL ?? BASE_URL, cookie: `convene_session=${f.token}` },
                reconnection: false,
                timeout: 30_000,
              });
              s.once("connect", () => resolve(s));
              s.once("connect_error", reject);
              // Each socket is told its count on connecting (0 here); the publish moves it to 1.
              let seen = false;
              s.on("notifications:unread", ({ count }) => {
                if (count < 1 || seen) return;
                seen = true;
                moved.push(performance.now() - t0);
              });
            }),
        ),
      );
      sockets.push(...batch);
    }
    console.error(`bench: ${FOLLOWERS} followers, ${sockets.length} connected`);

    t0 = performance.now();
    const res = await fetch(`${BASE_URL}/events/${eventSlug}/manage`, {
      method: "POST",
      headers: { origin: process.env.APP_URL ?? BASE_URL, cookie: `convene_session=${organiser.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: "intent=publish",
      redirect: "manual",
    });
    const rowsMs = performance.now() - t0;
    if (res.status !== 302 && res.status !== 303) throw new Error(`publishing answered ${res.status}`);
    const deadline = performance.now() + 30_000;
    while (moved.length < sockets.length && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const countsMs = moved.length ? Math.max(...moved) : Number.NaN;
    const [{ n }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where subject_key = ${`event:${eventId}`}`)).rows;
    console.log(`fanout_followers: ${FOLLOWERS}`);
    console.log(`fanout_rows: ${n}`);
    console.log(`fanout_sockets_moved: ${moved.length} of ${sockets.length}`);
    console.log(`fanout_rows_ms: ${round(rowsMs)}`);
    console.log(`notify_fanout_ms: ${round(Math.max(rowsMs, countsMs))}`);
    for (const s of sockets) s.close();
    await db.delete(schema.events).where(eq(schema.events.id, eventId));
    await db.delete(schema.communities).where(eq(schema.communities.id, communityId));
    await db.delete(schema.notifications).where(
      inArray(
        schema.notifications.userId,
        followers.map((f) => f.id),
      ),
    );
  } finally {
    await removeBenchPeople(db, tag);
    await handle.close();
  }
}

run(async () => {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("set DATABASE_URL (PostgreSQL)");
  if (process.env.BENCH_ONLY !== "fanout") await digestBuild(base);
  if (process.env.BENCH_ONLY !== "digest") await fanout();
  process.exit(0);
});
