import type { LoaderFunctionArgs } from "@remix-run/node";
import { communityFeed } from "~/calendar/feeds.server";
import { calendarResponse, PRIVATE_FEED_CACHE, PUBLIC_FEED_CACHE } from "~/calendar/http.server";
import { findReadableCommunity } from "~/models/communities.server";

// A community's events. A private community's feed is 404 to anyone outside it, a
// pending requester included.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const community = await findReadableCommunity(params.slug ?? "", context.auth.user);
  if (!community) throw new Response("Not found", { status: 404 });
  return calendarResponse(request, await communityFeed(community, context.appUrl), {
    cacheControl: community.visibility === "public" ? PUBLIC_FEED_CACHE : PRIVATE_FEED_CACHE,
  });
}
