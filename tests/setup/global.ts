import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../../db/client";
import { adminQuery, uniqueName, withDatabase } from "./postgres";

// With DATABASE_URL, migrate one template database; each test file clones it
// (STACK.md rule 9). Without it, every file makes its own in-memory PGlite.
/** The newest modification time under these paths (files and folders, recursively). */
function newest(paths: string[]): number {
  let latest = 0;
  const visit = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else latest = Math.max(latest, st.mtimeMs);
  };
  for (const p of paths) visit(p);
  return latest;
}

/**
 * The HTTP tests run the built server: build it again, once, before any test file starts,
 * when a source is newer than the build (a stale build would test old code).
 */
function rebuildIfStale() {
  const root = path.resolve(import.meta.dirname, "../..");
  const built = ["build/server.js", "build/index.js"].map((f) => path.join(root, f));
  const sources = ["app", "db", "server.ts", "remix.config.js", "scripts/build-server.mjs", "patches", "package-lock.json"].map((f) => path.join(root, f));
  const builtAt = built.every((f) => fs.existsSync(f)) ? Math.min(...built.map((f) => fs.statSync(f).mtimeMs)) : 0;
  if (newest(sources) > builtAt) execSync("npm run build", { cwd: root, stdio: "ignore", env: { ...process.env, NODE_ENV: "production" } });
}

export default async function setup(project: TestProject) {
  rebuildIfStale();
  const base = process.env.DATABASE_URL;
  if (!base) return;
  const template = uniqueName("convene_tpl");
  await adminQuery(base, `CREATE DATABASE ${template}`);
  const handle = await openDatabase({ kind: "postgres", url: withDatabase(base, template), max: 1 });
  await migrateDatabase(handle);
  await handle.close();
  project.provide("pgTemplate", template);
  return async () => {
    await adminQuery(base, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}
