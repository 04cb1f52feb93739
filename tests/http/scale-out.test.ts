import pg from "pg";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BoardChange, ClientToServerEvents, JoinThreadReply, MessageView, PostReply, ServerToClientEvents } from "../../app/realtime/protocol";
import { waitFor as poll, post, type RunningServer, startServer } from "../fixtures/server";
import { testDatabaseKind } from "../setup/database";

const waitFor = (check: () => boolean, ms = 5000) => poll(check, ms);

// Two server processes on one PostgreSQL database, a client on each: broadcasts cross
// processes through @socket.io/postgres-adapter. (PGlite is one process by construction.)
type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const onPostgres = testDatabaseKind() === "postgres";
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  if (!onPostgres) return;
  a = await startServer({ SEED_DEMO: "1", NODE_ENV: "test", SESSION_SECRET: "a shared secret for both processes" });
  b = await startServer({ NODE_ENV: "test", SESSION_SECRET: "a shared secret for both processes" }, { shareDatabaseOf: a });
}, 90_000);
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

function open(server: RunningServer, cookie?: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const s: Client = connect(server.url, {
      transports: ["websocket"],
      extraHeaders: { origin: server.origin, ...(cookie ? { cookie } : {}) },
      reconnection: false,
      timeout: 5000,
    });
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });
}
const sessionCookie = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith("convene_session="))!
    .split(";")[0];
const logIn = async (server: RunningServer, email: string) => sessionCookie(await post(server, "/login", { email, password: "convene-demo-pass" }));

describe.runIf(onPostgres)("two processes, one PostgreSQL", () => {
  it("a message posted through one process arrives at a client of the other", async () => {
    const aisha = await open(a, await logIn(a, "aisha.rahman@example.org"));
    const reader = await open(b);
    expect(await aisha.timeout(5000).emitWithAck("thread:join", { kind: "hub", key: "autumn-budget" })).toMatchObject({ ok: true });
    const presence: number[] = [];
    reader.on("presence", (p) => presence.push(p.count));
    const joined = (await reader.timeout(5000).emitWithAck("thread:join", { kind: "hub", key: "autumn-budget" })) as JoinThreadReply;
    expect(joined.ok).toBe(true);
    const got: MessageView[] = [];
    reader.on("thread:message", (m) => got.push(m));
    const sent = (await aisha.timeout(5000).emitWithAck("thread:post", { kind: "hub", key: "autumn-budget", body: "Posted through process A" })) as PostReply;
    expect(sent.ok).toBe(true);
    expect(await waitFor(() => got.length === 1)).toBe(true);
    expect(got[0]).toMatchObject({ body: "Posted through process A", authorName: "Aisha Rahman" });
    // Presence counts people on both processes.
    expect(await waitFor(() => presence.at(-1) === 2)).toBe(true);
    aisha.close();
    reader.close();
  });

  it("a claim made through one process appears on a board open on the other", async () => {
    const client = new pg.Client({ connectionString: a.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ id: string }>(
      "SELECT t.id FROM tasks t JOIN hubs h ON h.id = t.hub_id WHERE h.slug = 'autumn-budget' AND t.status = 'open' AND t.merged_into_id IS NULL ORDER BY t.title LIMIT 1",
    );
    await client.end();
    const taskId = rows[0].id;
    const board = await open(b);
    expect(await board.timeout(5000).emitWithAck("board:join", { hub: "autumn-budget" })).toMatchObject({ ok: true });
    const changes: BoardChange[] = [];
    board.on("board:task", (c) => changes.push(c));
    const cookie = await logIn(a, "aisha.rahman@example.org");
    const res = await post(a, `/hubs/autumn-budget/tasks/${taskId}`, { intent: "claim" }, { cookie });
    expect(res.status).toBe(302);
    expect(await waitFor(() => changes.length === 1)).toBe(true);
    expect(changes[0]).toMatchObject({ taskId, kind: "claimed" });
    board.close();
  });
});

/** Through the loopback-only fixtures of a NODE_ENV=test server. */
async function fixture<T>(server: RunningServer, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${server.url}/__test${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(await res.text());
  return (await res.json()) as T;
}

/**
 * Two members of a private community, one on each process, in its thread; the one on B
 * leaves through A, and at once the one on A posts. What does B's socket receive?
 */
async function leaveAcrossProcesses(first: RunningServer, second: RunningServer, control = false) {
  const tag = Math.random().toString(36).slice(2, 8);
  const cookies: string[] = [];
  for (const who of ["stays", "leaves", "witness"]) {
    const email = `${who}-${tag}@sweep.example.org`;
    await fixture(first, "/person", { name: `${who} ${tag}`, email });
    await fixture(first, "/membership", { community: "lived-experience-panels", email, status: "active" });
    cookies.push((await fixture<{ cookie: string }>(first, "/session", { email })).cookie);
  }
  const [staysCookie, leavesCookie, witnessCookie] = cookies;
  const stays = await open(first, staysCookie);
  const leaves = await open(second, leavesCookie);
  // A member who stays, on the same process as the one who leaves: when the message has
  // reached them, it has crossed to that process, so the leaver's absence means something.
  const witness = await open(second, witnessCookie);
  for (const s of [stays, leaves, witness])
    expect(await s.timeout(5000).emitWithAck("thread:join", { kind: "community", key: "lived-experience-panels" })).toMatchObject({ ok: true });
  const heard: MessageView[] = [];
  const witnessed: MessageView[] = [];
  leaves.on("thread:message", (m) => heard.push(m));
  witness.on("thread:message", (m) => witnessed.push(m));
  const res = await post(first, "/communities/lived-experience-panels?index", { intent: "leave" }, { cookie: leavesCookie });
  expect(res.status).toBe(302);
  const sent = (await stays
    .timeout(5000)
    .emitWithAck("thread:post", { kind: "community", key: "lived-experience-panels", body: `After the leaving ${tag}` })) as PostReply;
  expect(sent.ok).toBe(true);
  expect(await waitFor(() => witnessed.some((m) => m.body === `After the leaving ${tag}`))).toBe(true);
  // In the control run the leaver hears it too: wait for that rather than race the witness.
  if (control) await waitFor(() => heard.length > 0);
  for (const s of [stays, leaves, witness]) s.close();
  return heard;
}

describe.runIf(onPostgres)("sockets follow permissions across processes", () => {
  it("someone who leaves a private community through one process hears nothing more on a socket held by the other", async () => {
    expect(await leaveAcrossProcesses(a, b)).toEqual([]);
  });

  it("control: with delivery by room alone and no eviction, the message reaches them", async () => {
    const env = { NODE_ENV: "test", TEST_DELIVERY_ROOM_ONLY: "1", SESSION_SECRET: "a shared secret for both processes" };
    const c = await startServer({ ...env, SEED_DEMO: "1" });
    const d = await startServer(env, { shareDatabaseOf: c });
    try {
      const heard = await leaveAcrossProcesses(c, d, true);
      expect(heard.map((m) => m.body)).toEqual([expect.stringContaining("After the leaving")]);
    } finally {
      await d.stop();
      await c.stop();
    }
  }, 90_000);
});
