import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { etagMatches } from "./headers";

// A micro-cache for what signed-out visitors see. A public page is the same for every
// visitor who is signed out and has no one-shot message waiting, so for a moment it can be
// served again instead of rendered again. A change made through this process (any request
// that is not GET or HEAD) empties the cache at once; changes made by other processes or
// by scheduled jobs show to signed-out visitors within `ttlMs`. Responses are kept only
// when they are 200s without a Set-Cookie and without `private`/`no-store`, so anything a
// route marks personal is never stored.

/** Headers of the moment or of the encoding, which a replay sets afresh. */
const UNKEPT = new Set(["date", "content-encoding", "content-length", "transfer-encoding", "vary"]);

type Entry = { status: number; headers: Record<string, string | string[]>; body: Buffer; expires: number };

// Personal, operational or already-cached paths are never stored.
const SKIP = /^\/(?:dev|healthz|build|me|feeds|admin|socket\.io)(?:\/|$)/;

export function createPageCache({ ttlMs, maxEntries = 500 }: { ttlMs: number; maxEntries?: number }) {
  const entries = new Map<string, Entry>();
  // Requests for a page that is being rendered wait for that rendering instead of
  // starting their own (a popular page expiring must not be rendered 50 times at once).
  const rendering = new Map<string, Promise<Entry | null>>();

  const cacheable = (req: Request, res: Response) =>
    ttlMs > 0 &&
    (req.method === "GET" || req.method === "HEAD") &&
    !res.locals.auth?.user &&
    !/(?:^|;\s*)convene_(?:flash|session)=/.test(req.headers.cookie ?? "") &&
    !SKIP.test(req.path);

  // Bumped by every change: a rendering that began before it is not kept.
  let generation = 0;
  const clear = () => {
    generation++;
    entries.clear();
  };

  function serve(req: Request, res: Response, entry: Entry, how: string) {
    const etag = entry.headers.etag;
    if (typeof etag === "string" && etagMatches(req.headers["if-none-match"], etag)) {
      return void res
        .status(304)
        .set({ ETag: etag, "Cache-Control": entry.headers["cache-control"] ?? "no-cache" })
        .end();
    }
    const { headers, body } = withFreshNonce(entry);
    res.status(entry.status).set(headers).set("X-Page-Cache", how);
    res.end(req.method === "HEAD" ? undefined : body);
  }

  function middleware(req: Request, res: Response, next: NextFunction) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.on("finish", clear);
      return next();
    }
    if (!cacheable(req, res)) return next();
    const key = `${req.get("host") ?? ""} ${req.originalUrl}`;
    const hit = entries.get(key);
    const inFlight = rendering.get(key);
    if ((!hit || hit.expires <= Date.now()) && inFlight && req.method === "GET") {
      void inFlight.then((entry) => (entry ? serve(req, res, entry, "shared") : next()));
      return;
    }
    if (hit && hit.expires > Date.now()) return serve(req, res, hit, "hit");
    if (hit) entries.delete(key);
    if (req.method === "HEAD") return next();

    let settle: (entry: Entry | null) => void = () => {};
    const mine = new Promise<Entry | null>((resolve) => (settle = resolve));
    const started = generation;
    rendering.set(key, mine);
    const done = (entry: Entry | null) => {
      if (rendering.get(key) === mine) rendering.delete(key);
      settle(entry);
    };
    res.on("close", () => done(null));
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk == null || typeof chunk === "function") return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response["write"];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      const headers = res.getHeaders();
      const cacheControl = String(headers["cache-control"] ?? "");
      if (res.statusCode === 200 && !headers["set-cookie"] && !/private|no-store/.test(cacheControl)) {
        const kept: Record<string, string | string[]> = {};
        // The body kept is the one Remix wrote, before compression: so are the headers kept.
        for (const [name, value] of Object.entries(headers))
          if (value !== undefined && !UNKEPT.has(name)) kept[name] = Array.isArray(value) ? value : String(value);
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        const entry = { status: 200, headers: kept, body: Buffer.concat(chunks), expires: Date.now() + ttlMs };
        if (started === generation) entries.set(key, entry);
        done(entry);
      } else {
        done(null);
      }
      return end(chunk, ...rest);
    }) as Response["end"];
    next();
  }

  return { middleware, clear, size: () => entries.size };
}

/** A kept document gets a new Content-Security-Policy nonce each time it is served. */
function withFreshNonce(entry: Entry): { headers: Entry["headers"]; body: Buffer } {
  const csp = entry.headers["content-security-policy"];
  const old = typeof csp === "string" ? /'nonce-([^']+)'/.exec(csp)?.[1] : undefined;
  if (!old || typeof csp !== "string") return { headers: entry.headers, body: entry.body };
  const fresh = randomBytes(16).toString("base64");
  return {
    headers: { ...entry.headers, "content-security-policy": csp.replace(old, fresh) },
    body: Buffer.from(entry.body.toString("utf8").split(`nonce="${old}"`).join(`nonce="${fresh}"`)),
  };
}
