import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { describeError, log } from "~/utils/log.server";
import { contentSecurityPolicy, NonceProvider } from "~/utils/nonce";

export const streamTimeout = 5_000;

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  // Every document is sent whole, with its length, once rendered: Convene's pages suspend on
  // nothing (no deferred data), so streaming bought no earlier paint, and carrying the
  // document through Node and web streams cost 8–22 % of a signed-in page's throughput
  // (scripts/bench/pages.ts, 30 November 2026; decision 024).
  // A fresh nonce per response: only Remix's own inline scripts may run.
  const nonce = randomBytes(16).toString("base64");
  responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));
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
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          const chunks: Buffer[] = [];
          const sink = new Writable({
            write(chunk: Buffer, _enc, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              const html = Buffer.concat(chunks);
              responseHeaders.set("Content-Length", String(html.length));
              resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
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
