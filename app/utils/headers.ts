import type { HeadersFunction } from "@remix-run/node";

/**
 * Document responses take their headers from the `headers` export (single fetch merges
 * only Set-Cookie by itself): pass an action's Retry-After through to the browser.
 */
export const actionHeaders: HeadersFunction = ({ actionHeaders: h }) => {
  const out = new Headers();
  const retry = h.get("Retry-After");
  if (retry) out.set("Retry-After", retry);
  return out;
};

/** Does an If-None-Match header name this ETag (weak or strong, or `*`)? */
export function etagMatches(header: string | null | undefined, etag: string) {
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}
