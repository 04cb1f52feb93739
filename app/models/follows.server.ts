import { and, eq, sql } from "drizzle-orm";
import { FOLLOW_KINDS, type FollowKind } from "../../db/schema";
import { rolesOf, type Viewer } from "../auth/permissions.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { done, type Outcome, refuse } from "../utils/outcome";
import { sharedRead } from "../utils/request-memo.server";
import { communityReadableBy, eventVisibleTo, type Seer, seer } from "./visibility.server";

// Following: what a person wants news of (app/models/notifications.server.ts reads it).
// Joining a community, registering for an event (its series), leading or helping with a
// task (its hub) and joining an organisation follow as well: the models doing those call
// `followIn` in their own transaction.

export { FOLLOW_KINDS, type FollowKind };
export const isFollowKind = (v: unknown): v is FollowKind => typeof v === "string" && (FOLLOW_KINDS as readonly string[]).includes(v);

export type Followed = { kind: FollowKind; id: string; title: string; path: string };

/** Follows in the caller's transaction (idempotent). */
export async function followIn(tx: DbOrTx, userId: string, kind: FollowKind, subjectId: string) {
  await tx.insert(schema.follows).values({ userId, subjectKind: kind, subjectId }).onConflictDoNothing();
}

/** Stops following in the caller's transaction (leaving a community, say). */
export async function unfollowIn(tx: DbOrTx, userId: string, kind: FollowKind, subjectId: string) {
  await tx.delete(schema.follows).where(and(eq(schema.follows.userId, userId), eq(schema.follows.subjectKind, kind), eq(schema.follows.subjectId, subjectId)));
}

/** The thing to follow as this viewer may see it: its title and page, or null (unknown or not theirs to see). */
export async function followable(kind: FollowKind, subjectId: string, who: Seer, tx: DbOrTx = db): Promise<Followed | null> {
  const found = (await describe(tx, who, sql`values (${kind}, ${subjectId})`)).at(0);
  return found ?? null;
}

/**
 * Titles and pages of the (kind, id) pairs in `pairs` (a VALUES list or a query with two
 * text columns) that the viewer may see: communities by `communityReadableBy`, a series
 * by its first event the viewer may see; hubs and organisations are public.
 */
async function describe(tx: DbOrTx, who: Seer, pairs: ReturnType<typeof sql>): Promise<Followed[]> {
  const { rows } = await tx.execute<{ kind: FollowKind; id: string; title: string; path: string }>(sql`
    with p(kind, id) as (${pairs})
    select 'community' as kind, communities.id, communities.name as title, '/communities/' || communities.slug as path
      from p join ${schema.communities} on ${schema.communities.id} = p.id
     where p.kind = 'community' and ${communityReadableBy(who)}
    union all
    select 'hub', h.id, h.title, '/hubs/' || h.slug from p join hubs h on h.id = p.id where p.kind = 'hub'
    union all
    select 'organisation', o.id, o.name, '/directory/' || o.slug from p join organisations o on o.id = p.id where p.kind = 'organisation'
    union all
    select 'series', p.id, first.title || ' (a series)', '/events/' || first.slug from p
      cross join lateral (select ${schema.events.title} as title, ${schema.events.slug} as slug from ${schema.events}
        where ${schema.events.seriesId} = p.id and ${eventVisibleTo(who)} order by ${schema.events.startsAt} limit 1) first
     where p.kind = 'series'
    order by 3`);
  return rows;
}

/** What a person follows, with titles and pages (things they can no longer see are left out). */
export async function followsOf(userId: string, tx: DbOrTx = db): Promise<Followed[]> {
  const who = seer({ id: userId, roles: await rolesOf(userId, tx) });
  return describe(tx, who, sql`select subject_kind, subject_id from follows where user_id = ${userId}`);
}

/** Shared between requests while the data is unchanged (sharedRead). */
const follows = sharedRead("follows", async (userId: string, kind: FollowKind, subjectId: string) => {
  const [row] = await db
    .select({ userId: schema.follows.userId })
    .from(schema.follows)
    .where(and(eq(schema.follows.userId, userId), eq(schema.follows.subjectKind, kind), eq(schema.follows.subjectId, subjectId)));
  return !!row;
});

export async function isFollowing(userId: string | null | undefined, kind: FollowKind, subjectId: string | null | undefined): Promise<boolean> {
  if (!userId || !subjectId) return false;
  return follows(userId, kind, subjectId);
}

const NOT_FOUND = "We could not find that to follow.";

/** Follow or stop following, from a page's button or the settings page. */
export async function setFollowing(viewer: Viewer, kind: unknown, subjectId: unknown, on: boolean): Promise<Outcome<{ title: string }>> {
  if (!isFollowKind(kind) || typeof subjectId !== "string" || !subjectId || subjectId.length > 100) return refuse(404, NOT_FOUND);
  const who = seer(viewer);
  const thing = await followable(kind, subjectId, who);
  if (!on) {
    await unfollowIn(db, viewer.id, kind, subjectId);
    return done(thing ? `You no longer follow ${thing.title}.` : "You no longer follow it.", { title: thing?.title ?? "" });
  }
  if (!thing) return refuse(404, NOT_FOUND);
  await followIn(db, viewer.id, kind, subjectId);
  return done(`You follow ${thing.title}: its news is on your notifications page.`, { title: thing.title });
}
