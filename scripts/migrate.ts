// Applies db/migrations to DATABASE_URL (for deploys: run before starting new app
// processes). The server also migrates at start, under an advisory lock, so running
// both is safe. Refuses the embedded database: only the server process may open it.
import { describeDatabase, migrateDatabase, openDatabase } from "../db/client";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("migrate: DATABASE_URL is not set. The embedded database is migrated by the server itself at start.");
  process.exit(2);
}
const config = { kind: "postgres" as const, url };
try {
  const handle = await openDatabase(config);
  await migrateDatabase(handle);
  await handle.close();
  console.log(`migrate: ${describeDatabase(config)} is up to date`);
} catch (err) {
  console.error(`migrate: failed on ${describeDatabase(config)}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
  process.exit(1);
}
