import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Remix's compiler gives the browser an empty module for every `.server` file. A value a
// page's component takes from one is `undefined` in the browser, and the page breaks when
// it hydrates (it happened: the feedback form's answer labels). Only `loader`, `action`
// and `actionForms` (never run in the browser) may use what a route imports from a
// `.server` module; a component may import only types from one.

const root = path.resolve(import.meta.dirname, "../../app");

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(tsx?)$/.test(e.name) && !/\.server\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** The value names a file imports from `.server` modules. */
function serverValueImports(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"([^"]+)"/g)) {
    if (m[1] || (!/\.server"?$/.test(m[3]) && !m[3].endsWith(".server"))) continue;
    for (const part of m[2].split(",")) {
      const t = part.trim();
      if (!t || t.startsWith("type ")) continue;
      names.push((t.split(/\s+as\s+/)[1] ?? t).trim());
    }
  }
  return names;
}

/**
 * The source without its imports, loader, action and actionForms, and without the
 * functions only those used.
 */
function browserPart(source: string): string {
  let out = source.replace(/import[\s\S]*?from\s+"[^"]+";/g, "");
  for (;;) {
    const m = out.match(/export\s+(?:async\s+)?(?:function\s+(?:loader|action)\b|const\s+(?:loader|action|actionForms)\b)/);
    if (!m || m.index === undefined) break;
    // To its end: Biome formats top-level declarations so that a multi-line one ends with a
    // "}", "};" or "];" at the start of a line; a one-line one ends with its line.
    const lineEnd = out.indexOf("\n", m.index);
    const oneLine = out
      .slice(m.index, lineEnd === -1 ? out.length : lineEnd)
      .trimEnd()
      .endsWith(";");
    const close = out.slice(m.index).search(/\n[}\]];?\n/);
    const i = oneLine || close === -1 ? (lineEnd === -1 ? out.length : lineEnd) : m.index + close + out.slice(m.index + close).indexOf("\n", 1);
    out = out.slice(0, m.index) + out.slice(i);
  }
  // Helpers only the loader or action called (Remix drops them from the browser's bundle too).
  for (let changed = true; changed; ) {
    changed = false;
    for (const m of out.matchAll(/^(?:async\s+)?function\s+(\w+)/gm)) {
      const start = m.index ?? 0;
      const close = out.slice(start).search(/\n\}\n/);
      const end = close === -1 ? out.length : start + close + 2;
      const others = out.slice(0, start) + out.slice(end);
      if (!new RegExp(`\\b${m[1]}\\b`).test(others)) {
        out = others;
        changed = true;
        break;
      }
    }
  }
  return out;
}

describe("code that reaches the browser", () => {
  it("uses nothing a .server module exports (only loaders, actions and actionForms may)", () => {
    const problems: string[] = [];
    for (const file of files(root)) {
      const source = fs.readFileSync(file, "utf8");
      const names = serverValueImports(source);
      if (!names.length) continue;
      const rest = browserPart(source);
      for (const name of names) {
        if (new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\b`).test(rest)) problems.push(`${path.relative(root, file)}: ${name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("would catch the mistake it was written for", () => {
    const source = `import { LABELS, giveFeedback } from "~/models/feedback.server";
export async function action() { return giveFeedback(); }
export default function Page() { return LABELS.map((l) => l); }`;
    const rest = browserPart(source);
    expect(serverValueImports(source)).toEqual(["LABELS", "giveFeedback"]);
    expect(/\bLABELS\b/.test(rest)).toBe(true);
    expect(/\bgiveFeedback\b/.test(rest)).toBe(false);
  });
});
