import { randomBytes } from "node:crypto";
import { PassThrough, Writable } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { describeError, log } from "~/utils/log.server";
import { contentSecurityPolicy, NonceProvider } from "~/utils/nonce";

export const streamTimeout = 5_000;

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  // Bots and no-JS clients get the whole document at once; browsers get it streamed.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || BUFFER_DOCUMENTS;
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
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          if (waitForAll) {
            // The whole document in one buffer, sent with its length: no stream to carry it.
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
            return;
          }
          const body = new PassThrough();
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
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

/** Experiment switch: buffer every document (see decision 024). */
const BUFFER_DOCUMENTS = process.env.BUFFER_DOCUMENTS === "1";

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests are the client going away, not our error.
  if (request.signal.aborted) return;
  // A 404 or 405 from the router is an answer, not a failure of ours.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  log.error("http", "request failed", { method: request.method, error: describeError(error) });
}
