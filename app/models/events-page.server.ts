import { sql } from "drizzle-orm";
import { hasRole, type Viewer } from "../auth/permissions.server";
import { db } from "../utils/db.server";
import { readAt } from "../utils/local-time";
import { sharedRead } from "../utils/request-memo.server";
import { groupSeries } from "./event-series";
import { type EventFilters, listEvents } from "./events.server";
import { type Seer, seer } from "./visibility.server";

// The /events page, in one call: a page of listed events (each weekly series once), the
// choices its filters offer, and whether this viewer may create events. Two statements:
// the listing, and the filters' choices with the viewer's facilitated communities.

export async function getEventsPage(filters: EventFilters, viewer: Viewer | null) {
  const [{ events, page, hasMore }, choices] = await Promise.all([listing(filters, seer(viewer), readAt(new Date())), filterChoices(viewer?.id ?? null)]);
  const of = (kind: string) => choices.filter((c) => c.kind === kind).map(({ slug, name }) => ({ slug, name }));
  return {
    page,
    hasMore,
    events: groupSeries(
      events.map((r) => ({
        slug: r.event.slug,
        seriesId: r.event.seriesId,
        title: r.event.title,
        kind: r.event.kind,
        summary: r.event.summary,
        startsAt: r.event.startsAt.toISOString(),
        endsAt: r.event.endsAt.toISOString(),
        timeZone: r.event.timeZone,
        state: r.event.state,
        seatsLeft: r.event.capacity === null ? null : Math.max(0, r.event.capacity - r.confirmed),
        context: [r.communityName, r.hubTitle].filter(Boolean).join(" · ") || null,
      })),
    ),
    communities: of("community"),
    hubs: of("hub").map(({ slug, name }) => ({ slug, title: name })),
    // Organisers create events anywhere; facilitators in their communities (eventCreationRights' rule).
    canCreate: !!viewer && (hasRole(viewer, "organiser") || of("facilitated").length > 0),
  };
}

/** Public communities by name, hubs by their moment, and the communities this person facilitates. */
/**
 * A page of the listing, to the minute (an event that ended seconds ago may stay listed as
 * upcoming until the minute turns), shared between requests while the data is unchanged.
 */
const listing = sharedRead("events.listing", (filters: EventFilters, who: Seer, at: string) => listEvents(filters, who, new Date(at)));

/** Shared between requests while the data is unchanged (sharedRead). */
const filterChoices = sharedRead("events.choices", async (userId: string | null) => {
  const { rows } = await db.execute<{ kind: "community" | "hub" | "facilitated"; slug: string; name: string }>(sql`
    select kind, slug, name from (
      select 'community' as kind, slug, name, row_number() over (order by name) as n from communities where visibility = 'public'
      union all
      select 'hub', slug, title, row_number() over (order by moment_at) from hubs
      union all
      select 'facilitated', c.slug, c.name, 0 from community_memberships m join communities c on c.id = m.community_id
       where m.user_id = ${userId} and m.role = 'facilitator' and m.status = 'active'
    ) choices order by kind, n`);
  return rows;
});
