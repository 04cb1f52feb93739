// Builds (npm run build) when any source is newer than the build, else says it is current.
// `npm test` and the test setup use it: a stale build would test old code, and building
// again when nothing changed costs CI half a minute per database.
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const SOURCES = ["app", "db", "public", "server.ts", "remix.config.js", "scripts/build-server.mjs", "patches", "package-lock.json"];
const BUILT = ["build/server.js", "build/index.js"];

/** The newest modification time under these paths (files and folders, recursively). */
function newest(paths) {
  let latest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (p === path.join(root, "public", "build")) return; // the build's own output
      for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    } else latest = Math.max(latest, st.mtimeMs);
  };
  for (const p of paths) visit(path.join(root, p));
  return latest;
}

export function buildIfStale({ quiet = false } = {}) {
  const built = BUILT.map((f) => path.join(root, f));
  const builtAt = built.every((f) => fs.existsSync(f)) ? Math.min(...built.map((f) => fs.statSync(f).mtimeMs)) : 0;
  if (newest(SOURCES) <= builtAt) {
    if (!quiet) console.log("The build is newer than every source: not building again.");
    return false;
  }
  execSync("npm run build", { cwd: root, stdio: quiet ? "ignore" : "inherit", env: { ...process.env, NODE_ENV: "production" } });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) buildIfStale();
