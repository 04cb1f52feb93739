import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../../db/client";
import { buildIfStale } from "../../scripts/build-if-stale.mjs";
import { adminQuery, uniqueName, withDatabase } from "./postgres";

// With DATABASE_URL, migrate one template database; each test file clones it
// (STACK.md rule 9). Without it, migrate one in-memory PGlite and dump its data directory;
// every file starts its own in-memory PGlite from that dump (a fresh PGlite runs initdb and
// every migration, 4–5 s a file on the 2-core machine; loading the dump takes about 2 s).
export default async function setup(project: TestProject) {
  // The HTTP tests run the built server: build it again first if a source is newer.
  buildIfStale({ quiet: true });
  const base = process.env.DATABASE_URL;
  if (!base) {
    const handle = await openDatabase({ kind: "pglite", dataDir: null });
    await migrateDatabase(handle);
    const dump = Buffer.from(await (await handle.dump!()).arrayBuffer());
    await handle.close();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "convene-pglite-")), "migrated.tar");
    fs.writeFileSync(file, dump);
    project.provide("pgliteSnapshot", file);
    return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
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
    pgliteSnapshot: string;
  }
}
