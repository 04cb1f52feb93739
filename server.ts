// Wiring only: Express, the Remix handler, Socket.io on the same HTTP server, the email
// worker and the scheduler. Rules live in app/models.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type Request, type Response } from "express";
import { authenticate } from "./app/auth/request-auth.server";
import { createEmailWorker } from "./app/email/worker.server";
import { jobs } from "./app/jobs/index.server";
import { startScheduler } from "./app/jobs/scheduler.server";
import { unsubscribe } from "./app/models/email-preferences.server";
import { resealAll } from "./app/models/payment-claims.server";
import { renderPendingMarkdown } from "./app/models/rendered-text.server";
import { attachSocketServer } from "./app/realtime/socket.server";
import { subscribe } from "./app/utils/bus.server";
import { connectDatabase, dbConfigFromEnv, dbHandle, describeDatabase, pingDatabase } from "./app/utils/db.server";
import { devMailboxEnabled, env } from "./app/utils/env.server";
import { bodyLimit, cleanCookies } from "./app/utils/http-guards.server";
import { describeError, log } from "./app/utils/log.server";
import { comesFromOrigin, expectedOrigin, isLoopbackPeer, isSafeMethod } from "./app/utils/origin.server";
import { createPageCache } from "./app/utils/page-cache.server";
import { rememberInRequest, withRequestMemo } from "./app/utils/request-memo.server";
import { sealingAvailable } from "./app/utils/sealed.server";
import { assertNoTestSwitches } from "./app/utils/test-controls.server";
import { digestOnArrival, testFixtures } from "./app/utils/test-fixtures.server";
import { projectRoot } from "./db/client";
import { seedIfNeeded } from "./db/seed";

function fail(message: string): never {
  console.error(`Convene cannot start: ${message}`);
  process.exit(1);
}

function explainDbError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const msg = e?.message ?? String(err);
  if (e?.code === "ECONNREFUSED") return "nothing is listening there. Start PostgreSQL or correct DATABASE_URL.";
  if (e?.code === "ENOTFOUND") return "that host name does not resolve. Correct DATABASE_URL.";
  if (e?.code === "3D000") return `${msg}. Create it (createdb) or correct DATABASE_URL.`;
  if (e?.code === "28P01" || e?.code === "28000") return `${msg}. Check the user and password in DATABASE_URL.`;
  return `${msg.split("\n")[0]}. Check DATABASE_URL (or DATA_DIR for the embedded database).`;
}

async function main() {
  let cfg: ReturnType<typeof env>;
  try {
    cfg = env();
    assertNoTestSwitches();
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const dbConfig = dbConfigFromEnv();
  try {
    await connectDatabase(dbConfig);
  } catch (err) {
    fail(`could not open the database (${describeDatabase(dbConfig)}): ${explainDbError(err)}`);
  }
  const handle = dbHandle();
  await seedIfNeeded(handle, { force: cfg.SEED_DEMO === "1", log: (m) => console.log(m) });
  // Texts saved before they were stored rendered (and seeded ones) are rendered once now.
  await renderPendingMarkdown();
  // Payment data: off without a key in production (said once, plainly); on the embedded
  // database, which this process alone holds, anything sealed under an older key is
  // re-sealed under the current one (PostgreSQL: npm run payments:reseal).
  if (!sealingAvailable()) log.info("payments", "payment claims are switched off: set PAYMENT_KEYS (see the README) to turn them on");
  else if (handle.kind === "pglite") {
    try {
      const n = await resealAll();
      if (n.bankDetails + n.receipts) log.info("payments", "re-sealed payment data under the current key", n);
    } catch (err) {
      fail(`payment data did not open with PAYMENT_KEYS: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const root = projectRoot();
  const build = (await import(pathToFileURL(path.join(root, "build", "index.js")).href)) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
  if (cfg.TRUST_PROXY) app.set("trust proxy", /^\d+$/.test(cfg.TRUST_PROXY) ? Number(cfg.TRUST_PROXY) : cfg.TRUST_PROXY);

  const hsts = cfg.NODE_ENV === "production" && !!cfg.APP_URL?.startsWith("https:");
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    // Emailed links carry single-use tokens in their path: never leak them to other sites.
    res.setHeader("Referrer-Policy", "same-origin");
    if (hsts) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  });

  // gzip (or deflate) for every text response over 1 kB: pages, data, feeds. ETags are
  // computed from the content before compression; `Vary: Accept-Encoding` keeps caches apart.
  app.use(compression({ threshold: 1024 }));

  // Test fixtures (NODE_ENV=test only, loopback only): the data's digest on arrival.
  if (cfg.NODE_ENV === "test") app.use(digestOnArrival);

  app.get("/healthz", async (_req, res) => {
    const ok = await pingDatabase();
    res.status(ok ? 200 : 503).json({ ok, db: handle.kind });
  });

  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
  // Files in public/ all have an extension; page addresses never look on disk (a stat per page view).
  const publicFiles = express.static(path.join(root, "public"), { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  // A malformed percent-encoding in the path would make route matching throw, and a NUL
  // character cannot reach PostgreSQL: a path with either is answered 400; a NUL in the
  // query is dropped.
  app.use((req, res, next) => {
    try {
      if (decodeURIComponent(req.path).includes("\0")) throw new Error("NUL in path");
    } catch {
      return void res.status(400).type("text/plain").send("That address is not valid.");
    }
    if (/%00/i.test(req.originalUrl)) {
      req.url = req.url.replace(/%00/gi, "");
      req.originalUrl = req.originalUrl.replace(/%00/gi, "");
    }
    next();
  });

  // Bounded input and readable cookies before anything reads either.
  app.use(bodyLimit);
  app.use(cleanCookies);

  // Test fixtures (NODE_ENV=test only, loopback only): see app/utils/test-fixtures.server.ts.
  if (cfg.NODE_ENV === "test") app.use("/__test", testFixtures());

  // The port we really listen on (PORT=0 picks one), for the development origin.
  let listeningPort: number = cfg.PORT;
  const originFor = (req: Request) => expectedOrigin(cfg.APP_URL, req.protocol, req.get("host"), listeningPort);

  // One-click unsubscribe (RFC 8058): mail providers POST here with no Origin or Referer,
  // so this route is the one exception to the Origin check below, authorised by its token
  // alone (docs/decisions/025-one-click-unsubscribe.md). POST only: the page at the same
  // address (a Remix route) changes nothing, since mail scanners follow links.
  app.post("/unsubscribe/:token", async (req, res, next) => {
    try {
      const stopped = await unsubscribe(req.params.token);
      res.setHeader("Cache-Control", "no-store");
      if (req.accepts(["html", "text"]) === "html") return void res.redirect(303, `/unsubscribe/${encodeURIComponent(req.params.token)}?done=1`);
      if (!stopped) return void res.status(404).type("text/plain").send("This unsubscribe link is not one of ours, or no longer works.");
      res.status(200).type("text/plain").send("Unsubscribed.");
    } catch (err) {
      next(err);
    }
  });

  // Every request that can change something must come from our own pages.
  app.use((req, res, next) => {
    if (isSafeMethod(req.method)) return next();
    if (comesFromOrigin({ origin: req.get("origin"), referer: req.get("referer") }, originFor(req))) return next();
    res.status(403).type("text/plain").send("This request did not come from a Convene page, so it was refused.");
  });

  // Our Origin check has passed: Remix sees the request as sent to the public host, so a
  // proxy that forwards its own Host (nginx's default) cannot trip Remix's own check.
  const appHost = cfg.APP_URL ? new URL(cfg.APP_URL).host : null;
  app.use((req, _res, next) => {
    req.headers.host = appHost ?? new URL(originFor(req)).host;
    delete req.headers["x-forwarded-host"];
    next();
  });

  // A page's loaders share what they read (app/utils/request-memo.server.ts); never across an action.
  app.use((req, _res, next) => (req.method === "GET" || req.method === "HEAD" ? withRequestMemo(next) : next()));

  app.use(async (req, res, next) => {
    try {
      const auth = await authenticate(req.headers.cookie);
      // The session's query read the viewer's roles too: the page's checks need not ask again.
      if (auth.user) rememberInRequest(`roles:${auth.user.id}`, auth.user.roles);
      if (auth.setCookie) res.append("Set-Cookie", auth.setCookie);
      res.locals.auth = auth;
      // What a signed-in person sees, and pages reached by an emailed token, are theirs
      // alone: never kept by a shared cache or the browser's back-forward history on disk.
      if (auth.user || /^\/(reset-password|verify-email|sign-in|communities\/invitations|unsubscribe)\//.test(req.path))
        res.setHeader("Cache-Control", "private, no-store");
      next();
    } catch (err) {
      next(err);
    }
  });

  const pageCache = createPageCache({ ttlMs: cfg.PAGE_CACHE_MS });
  // Messages posted over a socket change pages without any HTTP write passing by.
  subscribe("thread.message", pageCache.clear);
  subscribe("thread.updated", pageCache.clear);
  app.use(pageCache.middleware);

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: cfg.NODE_ENV === "production" ? "production" : "development",
      getLoadContext: (req: Request, res: Response) => ({
        auth: res.locals.auth,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        appUrl: originFor(req),
        requestPath: req.originalUrl.split("?")[0] ?? "/",
        // The dev mailbox holds everyone's reset links: only for this machine (not through
        // a proxy), unless DEV_MAIL_OPEN=1 says otherwise. Never in production.
        devMailAllowed: devMailboxEnabled() && (cfg.DEV_MAIL_OPEN === "1" || (isLoopbackPeer(req.socket.remoteAddress) && !req.headers["x-forwarded-for"])),
      }),
    }),
  );

  app.use((err: unknown, req: Request, res: Response, _next: express.NextFunction) => {
    log.error("http", "request failed", { method: req.method, error: describeError(err) });
    if (!res.headersSent) res.status(500).type("text/plain").send("Something went wrong on our side. Please try again.");
  });

  const server = http.createServer(app);
  const sockets = attachSocketServer(server, { appUrl: cfg.APP_URL, databaseUrl: cfg.DATABASE_URL });
  const worker = createEmailWorker();
  worker.start();
  const stopScheduler = startScheduler(jobs, cfg.SCHEDULER_TICK_MS);

  server.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EADDRINUSE") fail(`port ${cfg.PORT} on ${cfg.HOST} is already in use. Set PORT to another port.`);
    fail(err.message);
  });
  server.listen(cfg.PORT, cfg.HOST, () => {
    const addr = server.address();
    const port = typeof addr === "object" && addr ? addr.port : cfg.PORT;
    listeningPort = port;
    console.log(`Convene is listening on http://${cfg.HOST}:${port} (${describeDatabase(dbConfig)})`);
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    stopScheduler();
    await worker.stop().catch(() => {});
    await sockets.close().catch(() => {});
    server.close();
    await handle.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
