import { etagMatches } from "../utils/headers";
import type { LoadedFeed } from "./feeds.server";

// How every calendar endpoint answers: text/calendar, an ETag, Cache-Control, and a 304
// when the calendar asking already has this version.

export async function calendarResponse(request: Request, feed: LoadedFeed, opts: { cacheControl: string; filename?: string }): Promise<Response> {
  const headers: Record<string, string> = { ETag: feed.etag, "Cache-Control": opts.cacheControl };
  if (etagMatches(request.headers.get("If-None-Match"), feed.etag)) return new Response(null, { status: 304, headers });
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
