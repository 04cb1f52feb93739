// Benchmark: live-thread fan-out. BENCH_SOCKETS (1,000) authenticated socket.io-client
// connections in one hub's thread; 10 posters send 10 messages each, 10 messages a second
// in all; every delivery's latency (post sent → message received) is measured.
// Then the same across two processes through the Postgres adapter: half the connections
// on a second server (BENCH_SECOND_URL, or one this script starts from build/server.js on
// the next port), posters on the first.
//
//   BASE_URL=http://localhost:3000 DATABASE_URL=postgres://… npm run bench:fanout
import { type ChildProcess, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { inArray } from "drizzle-orm";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, MessageView, ServerToClientEvents } from "../../app/realtime/protocol";
import { newId } from "../../app/utils/crypto.server";
import * as schema from "../../db/schema";
import { BASE_URL, benchPeople, connect as connectDb, pct, removeBenchPeople, round, run } from "./common";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const POSTERS = 10;
const PER_POSTER = 10;
const RATE_PER_SECOND = 10;

function open(url: string, token: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const s: Client = connect(url, {
      transports: ["websocket"],
      extraHeaders: { origin: process.env.APP_URL ?? url, cookie: `convene_session=${token}` },
      reconnection: false,
      timeout: 20_000,
    });
    s.once("connect", () => resolve(s));
    s.once("connect_error", (err) => reject(err));
  });
}

async function startSecondServer(): Promise<{ url: string; stop: () => void }> {
  if (process.env.BENCH_SECOND_URL) return { url: process.env.BENCH_SECOND_URL.replace(/\/$/, ""), stop: () => {} };
  const port = Number(new URL(BASE_URL).port || 80) + 1;
  const child: ChildProcess = spawn(process.execPath, ["build/server.js"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: process.env.NODE_ENV ?? "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`second server did not start:\n${out}`)), 30_000);
    const check = () => {
      if (/listening on/.test(out)) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => reject(new Error(`second server exited with ${code}:\n${out}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

/** One round: connect, join, post, measure. `urls[i % urls.length]` serves connection i; posters use urls[0]. */
async function measure(urls: string[], tokens: string[], posterTokens: string[], hubSlug: string, tag: string) {
  const clients: Client[] = [];
  for (let i = 0; i < tokens.length; i += 100) {
    clients.push(...(await Promise.all(tokens.slice(i, i + 100).map((t, j) => open(urls[(i + j) % urls.length], t)))));
  }
  await Promise.all(
    clients.map(async (c) => {
      const reply = await c.timeout(30_000).emitWithAck("thread:join", { kind: "hub", key: hubSlug });
      if (!reply.ok) throw new Error(`join refused: ${reply.message}`);
    }),
  );
  const posters = await Promise.all(posterTokens.map((t) => open(urls[0], t)));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let received = 0;
  for (const c of clients) {
    c.on("thread:message", (m: MessageView) => {
      const at = sentAt.get(m.body);
      if (at === undefined) return;
      received++;
      latencies.push(performance.now() - at);
    });
  }
  // Let presence announcements for the joins settle before measuring.
  await new Promise((r) => setTimeout(r, 1000));
  const total = POSTERS * PER_POSTER;
  let failed = 0;
  for (let n = 0; n < total; n++) {
    const body = `${tag} message ${n}`;
    const poster = posters[n % POSTERS];
    sentAt.set(body, performance.now());
    poster.emit("thread:post", { kind: "hub", key: hubSlug, body }, (reply) => {
      if (!reply.ok) failed++;
    });
    await new Promise((r) => setTimeout(r, 1000 / RATE_PER_SECOND));
  }
  const expected = total * clients.length;
  const deadline = Date.now() + 10_000;
  while (received < expected - failed * clients.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const c of [...clients, ...posters]) c.close();
  latencies.sort((a, b) => a - b);
  return { expected, received, lost: expected - received, failed, latencies };
}

async function main() {
  const handle = await connectDb();
  const { db } = handle;
  const tag = `bench-fanout-${Date.now().toString(36)}`;
  const hubId = newId();
  let second: { url: string; stop: () => void } | null = null;
  try {
    const { tokens } = await benchPeople(db, tag, SOCKETS + 2 * POSTERS, { name: "Reader" });
    await db
      .insert(schema.hubs)
      .values({ id: hubId, slug: tag, title: "Bench hub", momentName: "Bench moment", momentAt: new Date(Date.now() + 30 * 86_400_000) });
    const readers = tokens.slice(0, SOCKETS);
    const postersA = tokens.slice(SOCKETS, SOCKETS + POSTERS);
    const postersB = tokens.slice(SOCKETS + POSTERS);

    const one = await measure([BASE_URL], readers, postersA, tag, `${tag}-one`);
    console.log(`connections: ${SOCKETS}`);
    console.log(`messages: ${POSTERS * PER_POSTER}`);
    console.log(`deliveries: ${one.received}`);
    console.log(`p50_ms: ${round(pct(one.latencies, 50))}`);
    console.log(`p95_ms: ${round(pct(one.latencies, 95))}`);
    console.log(`p99_ms: ${round(pct(one.latencies, 99))}`);
    console.log(`lost: ${one.lost}`);
    console.log(`post_errors: ${one.failed}`);

    second = await startSecondServer();
    const two = await measure([BASE_URL, second.url], readers, postersB, tag, `${tag}-two`);
    console.log(`two_process_deliveries: ${two.received}`);
    console.log(`two_process_p50_ms: ${round(pct(two.latencies, 50))}`);
    console.log(`two_process_p95_ms: ${round(pct(two.latencies, 95))}`);
    console.log(`two_process_p99_ms: ${round(pct(two.latencies, 99))}`);
    console.log(`two_process_lost: ${two.lost}`);
    console.log(`two_process_post_errors: ${two.failed}`);
  } finally {
    second?.stop();
    await db.delete(schema.threads).where(inArray(schema.threads.subjectId, [hubId]));
    await db.delete(schema.hubs).where(inArray(schema.hubs.id, [hubId]));
    await removeBenchPeople(db, tag);
    await handle.close();
  }
}

run(main);
