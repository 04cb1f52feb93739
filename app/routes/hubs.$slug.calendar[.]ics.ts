import type { LoaderFunctionArgs } from "@remix-run/node";
import { hubFeed } from "~/calendar/feeds.server";
import { calendarResponse, PUBLIC_FEED_CACHE } from "~/calendar/http.server";
import { findHub } from "~/models/hubs.server";

// A hub's events, and its political moment as an all-day event.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const hub = await findHub(params.slug ?? "");
  if (!hub) throw new Response("Not found", { status: 404 });
  return calendarResponse(request, await hubFeed(hub, context.appUrl), { cacheControl: PUBLIC_FEED_CACHE });
}
