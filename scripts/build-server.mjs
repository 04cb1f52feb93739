// Bundles server.ts (and what it imports from app/ and db/) into build/server.js.
// Packages stay external; the Remix build is loaded at run time from build/index.js.
import { build } from "esbuild";

await build({
  entryPoints: ["server.ts"],
  outfile: "build/server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
