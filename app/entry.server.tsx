import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { describeError, log } from "~/utils/log.server";
import { contentSecurityPolicy, NonceProvider } from "~/utils/nonce";
import { documentKey, renderCache, verifyHits } from "~/utils/render-cache.server";

export const streamTimeout = 5_000;

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  // Every document is sent whole, with its length, once rendered: Convene's pages suspend on
  // nothing (no deferred data), so streaming bought no earlier paint, and carrying the
  // document through Node and web streams cost 8–22 % of a signed-in page's throughput
  // (scripts/bench/pages.ts, 30 November 2026; decision 024).
  // A fresh nonce per response: only Remix's own inline scripts may run.
  const nonce = randomBytes(16).toString("base64");
  responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));
  const cache = renderCache();
  const ctx = remixContext.staticHandlerContext;
  const key = request.method === "GET" ? documentKey(request.url, responseStatusCode, ctx.loaderData, ctx.actionData, ctx.errors) : null;
  const answer = (body: Buffer<ArrayBuffer>, status: number) => {
    responseHeaders.set("Content-Type", "text/html; charset=utf-8");
    responseHeaders.set("Content-Length", String(body.length));
    return new Response(body, { headers: responseHeaders, status });
  };
  const kept = key ? cache.get(key, nonce) : null;
  if (key && kept !== null) {
    // (Remix encodes the page's data only when a render asks for it: patches/@remix-run+server-runtime+2.17.5.patch.)
    responseHeaders.set("X-Render-Cache", "hit");
    if (!verifyHits()) return answer(kept, responseStatusCode);
    // Tests: the kept document must be exactly what rendering it again gives.
    return render(request, responseStatusCode, remixContext, nonce).then(({ html }) => {
      if (!html.equals(kept)) {
        log.error("http", "render cache: a kept document differs from a fresh render", { url: request.url });
        throw new Error(`render cache: the document kept for ${request.url} differs from a fresh render`);
      }
      return answer(kept, responseStatusCode);
    });
  }
  if (key) responseHeaders.set("X-Render-Cache", "miss");
  return render(request, responseStatusCode, remixContext, nonce).then(({ html, status }) => {
    if (key && status === 200) cache.set(key, html, nonce);
    return answer(html, status);
  });
}

function render(request: Request, status: number, remixContext: EntryContext, nonce: string): Promise<{ html: Buffer<ArrayBuffer>; status: number }> {
  let responseStatusCode = status;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider nonce={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true;
          const chunks: Buffer[] = [];
          const sink = new Writable({
            write(chunk: Buffer, _enc, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              resolve({ html: Buffer.concat(chunks), status: responseStatusCode });
              done();
            },
          });
          pipe(sink);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) log.error("http", "render failed", { error: describeError(error) });
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests are the client going away, not our error.
  if (request.signal.aborted) return;
  // A 404 or 405 from the router is an answer, not a failure of ours.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  log.error("http", "request failed", { method: request.method, error: describeError(error) });
}
