import { defineConfig } from "drizzle-kit";

// Generating migrations needs no database: `npm run db:generate` diffs db/schema.ts
// against db/migrations. The server applies them at start (see db/client.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
