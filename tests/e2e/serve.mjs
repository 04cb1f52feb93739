// Starts the built server for the end-to-end tests on a throwaway database: a fresh
// PGlite folder (.e2e-data/), or with DATABASE_URL a fresh database `convene_e2e` on the
// same Postgres server. Both are seeded with the demo data, which tests only read: each
// test makes the data it changes through the loopback-only fixture routes that
// NODE_ENV=test mounts (app/utils/test-fixtures.server.ts; tests/e2e/fixtures.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "../..");
const env = { ...process.env, PORT: process.env.E2E_PORT ?? "3999", HOST: "127.0.0.1", NODE_ENV: "test", SEED_DEMO: "1", EMAIL_POLL_MS: "200" };
delete env.RESEND_API_KEY;

if (process.env.DATABASE_URL) {
  const base = new URL(process.env.DATABASE_URL);
  const admin = new URL(base);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query("DROP DATABASE IF EXISTS convene_e2e WITH (FORCE)");
  await client.query("CREATE DATABASE convene_e2e");
  await client.end();
  base.pathname = "/convene_e2e";
  env.DATABASE_URL = base.toString();
} else {
  const dir = path.join(root, ".e2e-data");
  fs.rmSync(dir, { recursive: true, force: true });
  env.DATA_DIR = dir;
}

const child = spawn(process.execPath, ["build/server.js"], { cwd: root, env, stdio: "inherit" });
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => process.exit(code ?? 0));
