import type { LoadedFeed } from "./feeds.server";

// How every calendar endpoint answers: text/calendar, an ETag, Cache-Control, and a 304
// when the calendar asking already has this version.

export function ifNoneMatch(request: Request, etag: string) {
  const header = request.headers.get("If-None-Match");
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

export async function calendarResponse(
  request: Request,
  feed: LoadedFeed,
  opts: { cacheControl: string; filename?: string },
): Promise<Response> {
  const headers: Record<string, string> = { ETag: feed.etag, "Cache-Control": opts.cacheControl };
  if (ifNoneMatch(request, feed.etag)) return new Response(null, { status: 304, headers });
  return new Response(await feed.build(), {
    headers: {
      ...headers,
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `${opts.filename ? "attachment" : "inline"}; filename="${opts.filename ?? "calendar.ics"}"`,
    },
  });
}

/** Public feeds may be cached by anyone for a few minutes; calendars poll far less often. */
export const PUBLIC_FEED_CACHE = "public, max-age=300";
export const PRIVATE_FEED_CACHE = "private, max-age=300";
