import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Event, PlatformRole } from "../../db/schema";
import { hasRole, rolesOf } from "../auth/permissions.server";
import { type DbOrTx, db, schema } from "../utils/db.server";

// Who may see what: one SQL predicate per kind of thing, used by every query that lists,
// counts, searches, exports or feeds it, so a page, its `.data`, a feed and a CSV cannot
// disagree. Single-row checks (an event page, a thread) use the same predicates through
// `mayView*` helpers in the models, never a copy of the rule.
//
// - A community: public ones to everyone; private ones to their active members and
//   admins. A person whose request is pending knows only its name and their own request
//   (communities.server.ts shows them that much): never its events, members, feed or
//   threads.
// - An event: published or cancelled ones, when outside any community or in a community
//   the viewer may read; drafts and private-community events also to the people who run
//   the event (its organisers, its community's facilitators) and admins.
// - A community's thread: its active members and admins (reading needs membership even in
//   a public community). Hub and task threads follow their hub, which is public; an
//   event's thread follows the event.

/** The viewer as the visibility rules need them: null when signed out. */
export type Seer = { id: string; isAdmin: boolean } | null;

export function seer(viewer: { id: string; roles: readonly PlatformRole[] } | null | undefined): Seer {
  return viewer ? { id: viewer.id, isAdmin: viewer.roles.includes("admin") } : null;
}

const TRUE = sql`true`;

/** Is the viewer an active member of the community whose id is in `communityId`? */
function activeMemberOf(communityId: SQL | typeof schema.communities.id, who: NonNullable<Seer>): SQL {
  return sql`exists (select 1 from ${schema.communityMemberships} cm
    where cm.community_id = ${communityId} and cm.user_id = ${who.id} and cm.status = 'active')`;
}

/** Communities the viewer may read (see their page, events, feed, members, threads). */
export function communityReadableBy(who: Seer): SQL {
  if (who?.isAdmin) return TRUE;
  if (!who) return sql`${schema.communities.visibility} = 'public'`;
  return sql`(${schema.communities.visibility} = 'public' or ${activeMemberOf(sql`${schema.communities.id}`, who)})`;
}

/** Does the event's community (if any) let this viewer read it? On the `events` table. */
function eventCommunityReadable(who: Seer): SQL {
  if (who?.isAdmin) return TRUE;
  const member = who ? sql` or ${activeMemberOf(sql`c.id`, who)}` : sql``;
  return sql`(${schema.events.communityId} is null or exists (select 1 from ${schema.communities} c
    where c.id = ${schema.events.communityId} and (c.visibility = 'public'${member})))`;
}

/** Does this viewer run the event (an organiser of it, or a facilitator of its community)? */
function runsEvent(who: NonNullable<Seer>): SQL {
  return sql`(exists (select 1 from ${schema.eventOrganisers} eo where eo.event_id = ${schema.events.id} and eo.user_id = ${who.id})
    or exists (select 1 from ${schema.communityMemberships} fm where fm.community_id = ${schema.events.communityId}
      and fm.user_id = ${who.id} and fm.status = 'active' and fm.role = 'facilitator'))`;
}

/** Events the viewer may see at all (their page, their thread, in any list, count or feed). */
export function eventVisibleTo(who: Seer): SQL {
  if (who?.isAdmin) return TRUE;
  const open = sql`(${schema.events.state} <> 'draft' and ${eventCommunityReadable(who)})`;
  return who ? sql`(${open} or ${runsEvent(who)})` : open;
}

/**
 * The same rule for each person of a set (`person` is a column or expression holding a
 * user id): which of them may see the event in the current row of `events`. Notifications
 * use it to tell only the people who may see what they are told of.
 */
export function eventVisibleToPerson(person: SQL): SQL {
  const asSeer = { id: person, isAdmin: false } as unknown as NonNullable<Seer>;
  return sql`(exists (select 1 from ${schema.userRoles} ur where ur.user_id = ${person} and ur.role = 'admin') or ${eventVisibleTo(asSeer)})`;
}

/** Events anyone may see: what public pages, public feeds and organisation-level facts use. */
export const publicEvents = (): SQL => eventVisibleTo(null);

/** May this viewer see the event at all? The rule is `eventVisibleTo` (visibility.server.ts). */
export async function mayViewEvent(event: Event, userId: string | null | undefined, tx: DbOrTx = db) {
  // Published and outside any community: everyone (the common case costs no query).
  if (event.state !== "draft" && !event.communityId) return true;
  const who: Seer = userId ? { id: userId, isAdmin: hasRole({ roles: await rolesOf(userId, tx) }, "admin") } : null;
  const [row] = await tx
    .select({ id: schema.events.id })
    .from(schema.events)
    .where(and(eq(schema.events.id, event.id), eventVisibleTo(who)));
  return !!row;
}

/**
 * Data gaps the viewer may see (their page, every list, count, search and export): public
 * ones to everyone; one raised in a private community, until a facilitator makes it
 * public, to that community's active members and admins.
 */
export function gapVisibleTo(who: Seer): SQL {
  if (who?.isAdmin) return TRUE;
  if (!who) return sql`${schema.dataGaps.public}`;
  return sql`(${schema.dataGaps.public} or ${activeMemberOf(sql`${schema.dataGaps.communityId}`, who)})`;
}
