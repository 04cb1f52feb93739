import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedOwner, personalFeed } from "~/calendar/feeds.server";
import { calendarResponse, PRIVATE_FEED_CACHE } from "~/calendar/http.server";

// A person's private feed, reached by its secret address alone (calendars send no cookies).
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const userId = await feedOwner(params.token ?? "");
  if (!userId) throw new Response("Not found", { status: 404 });
  return calendarResponse(request, await personalFeed(userId, context.appUrl), { cacheControl: PRIVATE_FEED_CACHE });
}
