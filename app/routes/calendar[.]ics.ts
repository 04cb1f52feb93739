import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicFeed } from "~/calendar/feeds.server";
import { calendarResponse, PUBLIC_FEED_CACHE } from "~/calendar/http.server";

// Every public event, for subscribing.
export async function loader({ request, context }: LoaderFunctionArgs) {
  return calendarResponse(request, await publicFeed(context.appUrl), { cacheControl: PUBLIC_FEED_CACHE });
}
