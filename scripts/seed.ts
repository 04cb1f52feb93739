// Seeds the demo data into DATABASE_URL on purpose (SEED_DEMO=1 npm run seed). Never
// runs against a database that already holds people unless forced this way.
import { describeDatabase, migrateDatabase, openDatabase } from "../db/client";
import { seedIfNeeded } from "../db/seed";

const url = process.env.DATABASE_URL;
if (!url || process.env.SEED_DEMO !== "1") {
  console.error("seed: run as SEED_DEMO=1 DATABASE_URL=postgres://… npm run seed (the embedded database seeds itself on first start).");
  process.exit(2);
}
const config = { kind: "postgres" as const, url };
const handle = await openDatabase(config);
try {
  await migrateDatabase(handle);
  const seeded = await seedIfNeeded(handle, { force: true, log: (m) => console.log(m) });
  if (!seeded) console.log(`seed: ${describeDatabase(config)} already has the demo data`);
} finally {
  await handle.close();
}
