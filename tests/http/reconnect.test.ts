import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachLiveThread } from "../../app/realtime/live-thread";
import type { ClientToServerEvents, MessageView, ServerToClientEvents } from "../../app/realtime/protocol";
import { waitFor as poll, post, type RunningServer, startServer } from "../fixtures/server";
import { testDatabaseKind } from "../setup/database";

const waitFor = (check: () => boolean, ms = 8000) => poll(check, ms);

// Nothing lost on reconnect, across two processes, with the browser's own logic
// (app/realtime/live-thread.ts). Process A holds back every odd-numbered change for a
// moment (TEST_BROADCAST_DELAY_MS, test-only), so a reader on process B receives 2 before
// 1; the reader's connection is then cut, and 1 is broadcast while it is away. It must
// come back with the catch-up: every message shown, once, in order.
const onPostgres = testDatabaseKind() === "postgres";
type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  if (!onPostgres) return;
  const secret = "a shared secret for both processes";
  a = await startServer({ SEED_DEMO: "1", NODE_ENV: "test", SESSION_SECRET: secret, TEST_BROADCAST_DELAY_MS: "700" });
  b = await startServer({ NODE_ENV: "test", SESSION_SECRET: secret }, { shareDatabaseOf: a });
}, 90_000);
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

describe.runIf(onPostgres)("reconnecting across processes", () => {
  it("a change that arrived out of order and was missed during a drop is shown once, in order", async () => {
    const login = await post(a, "/login", { email: "aisha.rahman@example.org", password: "convene-demo-pass" });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("convene_session="))!
      .split(";")[0];
    const reader: Client = connect(b.url, { transports: ["websocket"], extraHeaders: { origin: b.url }, reconnectionDelay: 200, reconnectionDelayMax: 400 });
    const shown = new Map<number, MessageView>();
    const arrivals: number[] = [];
    let joins = 0;
    const live = attachLiveThread(
      reader,
      { kind: "hub", key: "spring-statement", initialLastChange: 0, gapWaitMs: 60_000 },
      {
        messages: (incoming) => {
          for (const m of incoming) {
            arrivals.push(m.changeNo);
            const had = shown.get(m.seq);
            if (!had || m.changeNo >= had.changeNo) shown.set(m.seq, m);
          }
        },
        joined: () => joins++,
      },
    );
    expect(await waitFor(() => joins === 1)).toBe(true);
    const start = live.cursor.complete;

    // Two posts through process A: the odd-numbered one is held back there.
    const texts = ["first of two", "second of two"];
    for (const body of texts) expect((await post(a, "/threads/hub/spring-statement", { intent: "post", body }, { cookie })).status).toBe(302);
    const numbers = [start + 1, start + 2];
    const held = numbers.find((n) => n % 2 === 1)!;
    const prompt = numbers.find((n) => n % 2 === 0)!;
    expect(await waitFor(() => arrivals.includes(prompt))).toBe(true);
    expect(arrivals).not.toContain(held);
    // The later change is here, the earlier one not yet: the cursor stays before the hole.
    expect(live.cursor.complete).toBe(held - 1);

    // The connection drops now; the held-back change is broadcast while it is away.
    reader.io.engine.close();
    expect(await waitFor(() => joins === 2)).toBe(true);
    expect(await waitFor(() => shown.size >= 2 && [...shown.values()].some((m) => m.changeNo === held))).toBe(true);
    // Past the hold-back (TEST_BROADCAST_DELAY_MS): nothing more arrives. An absence can only
    // be shown by waiting, so this one wait stays.
    await new Promise((r) => setTimeout(r, 900));
    const bodies = [...shown.values()]
      .sort((x, y) => x.seq - y.seq)
      .map((m) => m.body)
      .filter((t) => texts.includes(t));
    expect(bodies).toEqual(texts);
    expect(live.cursor.complete).toBeGreaterThanOrEqual(start + 2);
    live.detach();
    reader.close();
  }, 30_000);
});
