import type { NextFunction, Request, Response } from "express";

// Guards that run before anything reads a request: its body size and its cookies.
// @remix-run/express streams the body into the Fetch Request itself, so nothing here
// consumes the body; the size is decided from Content-Length alone, and Node's HTTP parser
// never delivers more bytes than Content-Length announces.

/** Every request body is at most this big unless a route names a larger limit below. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Routes that need more than the default, each matched by its whole path. A receipt (at most
 * 5 MB, app/models/payment-claims.server.ts) comes with a little room for the form around it,
 * so a file a little over 5 MB is refused beside its field; anything bigger is a 413.
 */
export const ROUTE_BODY_LIMITS: ReadonlyArray<readonly [path: RegExp, bytes: number]> = [[/^\/claims\/[^/]+\/receipt\/?$/, 6 * 1024 * 1024]];

export function bodyLimitFor(path: string): number {
  for (const [pattern, bytes] of ROUTE_BODY_LIMITS) if (pattern.test(path)) return bytes;
  return DEFAULT_BODY_LIMIT;
}

const refuse = (res: Response, status: number, text: string) => {
  // The unread body would otherwise keep the connection busy: close it after answering.
  res.setHeader("Connection", "close");
  res.status(status).type("text/plain").send(text);
};

/**
 * 413 when Content-Length is over the limit, 411 for a body sent without one (chunked),
 * 400 for a Content-Length that is not a number. Requests without a body pass.
 */
export function bodyLimit(req: Request, res: Response, next: NextFunction) {
  const length = req.headers["content-length"];
  const chunked = req.headers["transfer-encoding"] !== undefined;
  if (length === undefined) {
    if (chunked) return refuse(res, 411, "Please send this request with a Content-Length.");
    return next();
  }
  if (!/^\d{1,15}$/.test(length)) return refuse(res, 400, "That request's length is not valid.");
  if (Number(length) > bodyLimitFor(req.path)) return refuse(res, 413, "That is more than Convene accepts in one go. Please shorten it and try again.");
  next();
}

/**
 * Keeps only cookies whose value decodes: other sites on the same domain may set cookies
 * such as `promo=50%off`, and a malformed one must be ignored, not fail the request.
 */
export function cleanCookieHeader(header: string | undefined): string | undefined {
  if (!header) return header;
  if (!header.includes("%")) return header;
  const kept: string[] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    try {
      decodeURIComponent(part.slice(eq + 1).trim());
      decodeURIComponent(part.slice(0, eq).trim());
      kept.push(part.trim());
    } catch {
      // dropped: not ours, and not decodable
    }
  }
  return kept.join("; ");
}

export function cleanCookies(req: Request, _res: Response, next: NextFunction) {
  const cleaned = cleanCookieHeader(req.headers.cookie);
  if (cleaned !== req.headers.cookie) {
    if (cleaned) req.headers.cookie = cleaned;
    else delete req.headers.cookie;
  }
  next();
}
