import fs from "node:fs";
import { afterAll, beforeAll, inject } from "vitest";
import { useDatabaseHandle } from "../../app/utils/db.server";
import { type DbHandle, openDatabase } from "../../db/client";
import { adminQuery, uniqueName, withDatabase } from "./postgres";

// One database per test file, installed as the process's database.
let handle: DbHandle | undefined;
let created: string | undefined;

export const testDatabaseKind = () => (process.env.DATABASE_URL ? "postgres" : "pglite");

/** The URL of this file's Postgres database (undefined on PGlite). */
export const testDatabaseUrl = () => (created ? withDatabase(process.env.DATABASE_URL!, created) : undefined);

beforeAll(async () => {
  const base = process.env.DATABASE_URL;
  if (base) {
    created = uniqueName("convene_test");
    const template = inject("pgTemplate");
    for (let attempt = 0; ; attempt++) {
      try {
        await adminQuery(base, `CREATE DATABASE ${created} TEMPLATE ${template}`);
        break;
      } catch (err) {
        // Another file cloning the template at the same instant: try again shortly.
        if (attempt > 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    handle = await openDatabase({ kind: "postgres", url: withDatabase(base, created), max: 10, lockTimeoutMs: 5_000 });
  } else {
    const snapshot = inject("pgliteSnapshot");
    handle = await openDatabase({ kind: "pglite", dataDir: null, loadDataDir: new Blob([fs.readFileSync(snapshot)]) });
  }
  useDatabaseHandle(handle);
});

afterAll(async () => {
  useDatabaseHandle(undefined);
  await handle?.close().catch(() => {});
  if (created) await adminQuery(process.env.DATABASE_URL!, `DROP DATABASE IF EXISTS ${created} WITH (FORCE)`).catch(() => {});
});
