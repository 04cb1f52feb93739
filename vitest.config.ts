import path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The fuzz sweep's two shares and the authorisation matrix take minutes, every other file
 * seconds: they start first. Without a record of earlier runs (a fresh clone, as in CI)
 * Vitest starts larger files first, and the sweep's files are three lines each, so they
 * started last and the run waited two minutes for them at its end.
 */
class LongestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]) {
    const weight = (f: TestSpecification) => (/\/sweep-\d+\.test\.ts$/.test(f.moduleId) ? 2 : /\/authz-matrix\.test\.ts$/.test(f.moduleId) ? 1 : 0);
    return [...(await super.sort(files))].sort((a, b) => weight(b) - weight(a));
  }
}

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
    sequence: { sequencer: LongestFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
