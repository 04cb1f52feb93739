import { createHash } from "node:crypto";
import { serialize } from "node:v8";

// Rendered documents, kept by what they were rendered from. A page's HTML is a function of
// its address and the data its loaders returned (the root's and the page's own), nothing
// else: so a document whose address and data are exactly those of one rendered a moment
// ago is that document, whoever asks for it, and React need not render it again. The data
// is still read for every request (who may see what is decided there, every time); only
// the render is saved. Members with the same standing on a page (registered or not, lead
// or not, the same unread count) get the same data and so share one rendering; a member
// whose data differs in anything gets their own.
//
// The key is a digest of the address and the data in full. Documents with an error or action data are never kept. Each document is
// served with a fresh Content-Security-Policy nonce in place of the one it was made with.
//
// Under NODE_ENV=test every hit is checked: the document is rendered again and must be
// byte-for-byte what the cache would have served (see `verifyHits`); the fuzz sweep, the
// authorisation matrix and the browser tests then prove the key leaves nothing out.

/** A document as rendered, and where its nonce is (each response gets a new one). */
type Entry = { html: Buffer; nonceAt: number[]; nonceLength: number };

/** The cache key of a document, or null when it must be rendered every time. */
export function documentKey(url: string, status: number, loaderData: unknown, actionData: unknown, errors: unknown): string | null {
  if (actionData != null || errors != null || status !== 200) return null;
  try {
    // V8's own serialisation tells every type apart (a Date from its text, a Map from an
    // object, NaN from null, undefined from a missing key), as fast as JSON.stringify.
    return createHash("sha256").update(url).update("\0").update(serialize(loaderData)).digest("base64url");
  } catch {
    return null; // something V8 cannot serialise (a function): rendered every time
  }
}

export function createRenderCache({ maxBytes }: { maxBytes: number }) {
  const entries = new Map<string, Entry>();
  let bytes = 0;

  /** The document kept under `key`, with `nonce` in place of the one it was rendered with. */
  function get(key: string, nonce: string): Buffer<ArrayBuffer> | null {
    const e = entries.get(key);
    if (!e || Buffer.byteLength(nonce) !== e.nonceLength) return null;
    // Most recently used last: the oldest is dropped first.
    entries.delete(key);
    entries.set(key, e);
    const out = Buffer.allocUnsafe(e.html.length);
    e.html.copy(out);
    for (const at of e.nonceAt) out.write(nonce, at, "latin1");
    return out;
  }

  function set(key: string, html: Buffer, nonce: string) {
    if (maxBytes <= 0 || html.length > maxBytes / 8) return;
    const marker = `nonce="${nonce}"`;
    const nonceAt: number[] = [];
    for (let at = html.indexOf(marker); at !== -1; at = html.indexOf(marker, at + marker.length)) nonceAt.push(at + 7);
    const old = entries.get(key);
    if (old) {
      entries.delete(key);
      bytes -= old.html.length;
    }
    entries.set(key, { html: Buffer.from(html), nonceAt, nonceLength: Buffer.byteLength(nonce) });
    bytes += html.length;
    for (const [k, e] of entries) {
      if (bytes <= maxBytes) break;
      entries.delete(k);
      bytes -= e.html.length;
    }
  }

  return {
    get,
    set,
    clear: () => {
      entries.clear();
      bytes = 0;
    },
    size: () => entries.size,
  };
}

// One cache per process (server.ts and the Remix build each bundle a copy of this module).
const g = globalThis as { __conveneRenderCache?: ReturnType<typeof createRenderCache> };

export function renderCache() {
  g.__conveneRenderCache ??= createRenderCache({ maxBytes: Math.max(0, Number(process.env.RENDER_CACHE_MB ?? 32)) * 1024 * 1024 });
  return g.__conveneRenderCache;
}

/** Whether every hit is rendered again and compared (tests). */
export const verifyHits = () => process.env.NODE_ENV === "test";
