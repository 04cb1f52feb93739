import fs from "node:fs";
import { defineConfig } from "@playwright/test";

// Real Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own.
const executablePath = process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const port = Number(process.env.E2E_PORT ?? 3999);

export default defineConfig({
  testDir: "tests/e2e",
  // Tests own their data (tests/e2e/fixtures.ts), so they run side by side, in any order.
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
    trace: "off",
    screenshot: "only-on-failure",
  },
  webServer: {
    // Starts build/server.js on a throwaway database (tests/e2e/serve.mjs).
    command: `node tests/e2e/serve.mjs`,
    url: `http://127.0.0.1:${port}/healthz`,
    env: { E2E_PORT: String(port) },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
