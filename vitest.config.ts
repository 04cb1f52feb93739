import path from "node:path";
import { defineConfig } from "vitest/config";

// Integration tests run model code against a real database: a fresh in-memory PGlite per
// test file, or, with DATABASE_URL, a Postgres database per file cloned from a migrated
// template (tests/setup). No mocked database anywhere.
export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    globalSetup: ["tests/setup/global.ts"],
    setupFiles: ["tests/setup/database.ts"],
    env: { NODE_ENV: "test", ARGON2_PROFILE: "test", LOG_LEVEL: "silent" },
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
