import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents, MessageView, ServerToClientEvents } from "../../app/realtime/protocol";
import { type RunningServer, startServer } from "../fixtures/server";
import { testDatabaseKind } from "../setup/database";

// A real proxy in front: Debian's nginx with deploy/nginx.conf (its upstreams and port
// swapped for this test's), forwarding its own Host (`$proxy_host`, nginx's default),
// round-robin over two server processes on one PostgreSQL. Everything goes through nginx:
// log in, register, post, and a live message posted through the other process arrives
// on a WebSocket-only client. PostgreSQL only (PGlite is one process).
const nginxBinary = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => fs.existsSync(p));
const run = testDatabaseKind() === "postgres" && !!nginxBinary;

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let a: RunningServer;
let b: RunningServer;
let nginx: ChildProcess | null = null;
let front = "";
let dir = "";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  if (!run) return;
  const port = await freePort();
  front = `http://127.0.0.1:${port}`;
  const env = { APP_URL: front, SESSION_SECRET: "a shared secret for both processes", TRUST_PROXY: "1" };
  a = await startServer({ ...env, SEED_DEMO: "1" });
  b = await startServer(env, { shareDatabaseOf: a });
  const upstreams = [a, b].map((s) => `    server ${new URL(s.url).host};`).join("\n");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-nginx-"));
  const conf = fs
    .readFileSync(path.resolve(import.meta.dirname, "../../deploy/nginx.conf"), "utf8")
    .replace(/worker_processes auto;/, `worker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;`)
    .replace(/http \{/, `http {\n  access_log off;\n  client_body_temp_path ${dir};\n  proxy_temp_path ${dir};`)
    .replace(/(upstream convene \{\n)[\s\S]*?(\n {4}keepalive)/, `$1${upstreams}$2`)
    .replace(/(upstream convene_sticky \{\n {4}ip_hash;\n)[\s\S]*?(\n {2}\})/, `$1${upstreams}$2`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${port};`)
    // nginx's default, written out: the upstream's address, not the public host.
    .replaceAll("proxy_set_header X-Forwarded-Proto $scheme;", "proxy_set_header X-Forwarded-Proto $scheme;\n      proxy_set_header Host $proxy_host;");
  fs.writeFileSync(path.join(dir, "nginx.conf"), conf);
  execFileSync(nginxBinary!, ["-t", "-c", path.join(dir, "nginx.conf"), "-p", dir], { stdio: "pipe" });
  nginx = spawn(nginxBinary!, ["-c", path.join(dir, "nginx.conf"), "-p", dir, "-g", "daemon off;"], { stdio: "ignore" });
  for (let i = 0; i < 50; i++) {
    const ok = await fetch(`${front}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  nginx?.kill("SIGTERM");
  await b?.stop();
  await a?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const form = (pathname: string, body: Record<string, string>, cookie?: string) =>
  fetch(front + pathname, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: front, ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(body).toString(),
  });

function openSocket(cookie: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const s: Client = connect(front, { transports: ["websocket"], extraHeaders: { origin: front, cookie }, reconnection: false, timeout: 5000 });
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });
}

describe.runIf(run)("behind nginx, round-robin over two processes", () => {
  it("logs in, registers, posts, and hears a message posted through the other process", async () => {
    const login = await form("/login", { email: "aisha.rahman@example.org", password: "convene-demo-pass" });
    expect(login.status).toBe(302);
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("convene_session="))!
      .split(";")[0];
    // Every page now works whichever process answers (sessions live in PostgreSQL).
    for (let i = 0; i < 4; i++) expect((await fetch(`${front}/me`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);

    const registered = await form("/events/leeds-northern-data-partners?index", { intent: "register" }, cookie);
    expect(registered.status).toBe(302);

    const reader = await openSocket(cookie);
    expect(await reader.timeout(5000).emitWithAck("thread:join", { kind: "hub", key: "autumn-budget" })).toMatchObject({ ok: true });
    const heard: MessageView[] = [];
    reader.on("thread:message", (m) => heard.push(m));
    // Round-robin: of two posts, one goes through the process the reader is not on.
    for (const text of ["Posted through nginx, one", "Posted through nginx, two"]) {
      expect((await form("/threads/hub/autumn-budget", { intent: "post", body: text }, cookie)).status).toBe(302);
    }
    const until = Date.now() + 5000;
    while (heard.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(heard.map((m) => m.body).sort()).toEqual(["Posted through nginx, one", "Posted through nginx, two"]);
    reader.close();
  });

  it("emailed links carry the public origin, not the Host nginx forwarded", async () => {
    const res = await form("/forgot-password", { email: "aisha.rahman@example.org" });
    expect(res.status).toBeLessThan(400);
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: a.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ text: string }>(
      "select text from email_outbox where to_address = 'aisha.rahman@example.org' and subject like 'Reset%' order by created_at desc limit 1",
    );
    await client.end();
    expect(rows[0].text).toContain(`${front}/reset-password/`);
  });

  it("the development mailbox is closed to anyone coming through the proxy", async () => {
    expect((await fetch(`${front}/dev/mail`)).status).toBe(404);
  });
});
