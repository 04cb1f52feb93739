import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../../db/client";
import { adminQuery, uniqueName, withDatabase } from "./postgres";

// With DATABASE_URL, migrate one template database; each test file clones it
// (STACK.md rule 9). Without it, every file makes its own in-memory PGlite.
export default async function setup(project: TestProject) {
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
