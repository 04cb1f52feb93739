import { and, desc, eq, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import { enqueueEmails, notifyOutbox } from "../email/outbox.server";
import { notificationMessage } from "../email/templates/notifications";
import { publish } from "../utils/bus.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { env } from "../utils/env.server";
import { afterCommit } from "../utils/locks.server";
import { unsubscribeHeaders, unsubscribeTokens, unsubscribeUrl } from "./email-preferences.server";
import { NEWS_KIND_INFO, type NewsKind } from "./notification-kinds";
import { eventVisibleToPerson } from "./visibility.server";

// Notifications: what happened in what a person follows, and what needs them. Each is
// written by `notify` in the transaction of the change that causes it (a crash cannot lose
// one), only for the people the caller's recipient query finds allowed to see its subject
// at that moment (built on the visibility rules); people who chose "immediately" for its
// kind get their mail in the same transaction, through the outbox. After the commit the
// bus moves the live unread count (app/realtime/socket.server.ts): nothing else.

export type Note = {
  kind: NewsKind;
  /** The thing it is about: later changes to it update an unread, unmailed entry instead of adding one. */
  subjectKey: string;
  spaceKind: "event" | "hub" | "community" | "organisation" | "convene";
  spaceTitle: string;
  text: string;
  path: string;
};

export const appUrlForMail = () => env().APP_URL ?? `http://${env().HOST}:${env().PORT}`;

/**
 * Notifies the people `recipients` selects (one column, `user_id`), except `except` (who
 * made the change). Returns who was notified.
 */
export async function notify(tx: DbOrTx, recipients: SQL, note: Note, except: string | null = null): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string; user_id: string; email: string; name: string; cadence: string }>(sql`
    with r as (select distinct user_id from (${recipients}) x where user_id is not null and user_id is distinct from ${except}),
    ins as (
      insert into notifications (id, user_id, kind, subject_key, space_kind, space_title, text, path)
      select gen_random_uuid()::text, r.user_id, ${note.kind}, ${note.subjectKey}, ${note.spaceKind}, ${note.spaceTitle}, ${note.text}, ${note.path} from r
      on conflict (user_id, subject_key) where read_at is null and mailed_at is null
      do update set text = excluded.text, path = excluded.path, space_title = excluded.space_title,
        changes = notifications.changes + 1, updated_at = now()
      returning id, user_id)
    select ins.id, ins.user_id, u.email, u.name, coalesce(ep.cadence, ${NEWS_KIND_INFO[note.kind].byDefault}) as cadence
      from ins join users u on u.id = ins.user_id
      left join email_preferences ep on ep.user_id = ins.user_id and ep.kind = ${note.kind}`);
  if (!rows.length) return [];
  const now = rows.filter((r) => r.cadence === "immediately");
  if (now.length) await mailAtOnce(tx, now, note);
  const ids = rows.map((r) => r.user_id);
  afterCommit(tx, () => {
    publish("notifications.changed", { userIds: ids });
    if (now.length) notifyOutbox(now.length);
  });
  return ids;
}

async function mailAtOnce(tx: DbOrTx, people: { id: string; user_id: string; email: string; name: string }[], note: Note) {
  const appUrl = appUrlForMail();
  const tokens = await unsubscribeTokens(
    tx,
    people.map((p) => p.user_id),
    note.kind,
  );
  await enqueueEmails(
    tx,
    people.map((p) => {
      const unsub = unsubscribeUrl(appUrl, tokens.get(p.user_id)!);
      return {
        to: p.email,
        message: notificationMessage({
          name: p.name,
          kind: note.kind,
          text: note.text,
          space: note.spaceTitle,
          url: `${appUrl}${note.path}`,
          settingsUrl: `${appUrl}/notifications/settings`,
          unsubscribeUrl: unsub,
        }),
        headers: unsubscribeHeaders(unsub),
      };
    }),
  );
  await tx
    .update(schema.notifications)
    .set({ mailedAt: new Date() })
    .where(
      inArray(
        schema.notifications.id,
        people.map((p) => p.id),
      ),
    );
}

/** Something that needed people has been dealt with (a request answered): their entries about it are marked read. */
export async function settle(tx: DbOrTx, subjectKey: string) {
  const done = await tx
    .update(schema.notifications)
    .set({ readAt: new Date() })
    .where(and(eq(schema.notifications.subjectKey, subjectKey), isNull(schema.notifications.readAt)))
    .returning({ userId: schema.notifications.userId });
  if (done.length) afterCommit(tx, () => publish("notifications.changed", { userIds: done.map((d) => d.userId) }));
}

// ---------------------------------------------------------------- who hears of what

/**
 * Followers of an event's community, hub, series or of an organisation one of its
 * organisers belongs to, who may see the event now (`eventVisibleToPerson`).
 */
export function eventFollowers(eventId: string): SQL {
  return sql`select f.user_id from follows f join events on events.id = ${eventId}
    where ((f.subject_kind = 'community' and f.subject_id = events.community_id)
        or (f.subject_kind = 'hub' and f.subject_id = events.hub_id)
        or (f.subject_kind = 'series' and f.subject_id = events.series_id)
        or (f.subject_kind = 'organisation' and f.subject_id in (
              select om.organisation_id from event_organisers eo
                join organisation_memberships om on om.user_id = eo.user_id and om.status = 'active'
               where eo.event_id = events.id)))
      and ${eventVisibleToPerson(sql`f.user_id`)}`;
}

/** Followers of a hub (hubs and their tasks are public). */
export const hubFollowers = (hubId: string): SQL => sql`select user_id from follows where subject_kind = 'hub' and subject_id = ${hubId}`;

/** The lead and collaborators of a task. */
export const taskPeople = (taskId: string): SQL =>
  sql`select lead_user_id as user_id from tasks where id = ${taskId} union select user_id from task_collaborators where task_id = ${taskId}`;

/** Active facilitators of a community. */
export const communityFacilitators = (communityId: string): SQL =>
  sql`select user_id from community_memberships where community_id = ${communityId} and status = 'active' and role = 'facilitator'`;

/** Admins of an organisation on Convene. */
export const organisationAdmins = (organisationId: string): SQL =>
  sql`select user_id from organisation_memberships where organisation_id = ${organisationId} and status = 'active' and role = 'admin'`;

/** A text[] literal of ids, one parameter each. */
const textArray = (ids: string[]): SQL =>
  sql`ARRAY[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;

/** A fixed list of people (already checked by the caller against the subject's rule). */
export const people = (ids: string[]): SQL =>
  ids.length ? sql`select x as user_id from unnest(${textArray(ids)}) x` : sql`select null::text as user_id where false`;

// ---------------------------------------------------------------- reading them

export const PAGE_SIZE = 30;

export type NotificationView = {
  id: string;
  kind: NewsKind;
  text: string;
  path: string;
  spaceKind: string;
  spaceTitle: string;
  changes: number;
  at: string;
  read: boolean;
};

export async function notificationsOf(userId: string, opts: { before?: Date | null; unreadOnly?: boolean } = {}) {
  const rows = await db
    .select()
    .from(schema.notifications)
    .where(
      and(
        eq(schema.notifications.userId, userId),
        opts.before ? lt(schema.notifications.updatedAt, opts.before) : undefined,
        opts.unreadOnly ? isNull(schema.notifications.readAt) : undefined,
      ),
    )
    .orderBy(desc(schema.notifications.updatedAt), desc(schema.notifications.id))
    .limit(PAGE_SIZE + 1);
  const items: NotificationView[] = rows.slice(0, PAGE_SIZE).map((n) => ({
    id: n.id,
    kind: n.kind,
    text: n.text,
    path: n.path,
    spaceKind: n.spaceKind,
    spaceTitle: n.spaceTitle,
    changes: n.changes,
    at: n.updatedAt.toISOString(),
    read: !!n.readAt,
  }));
  return { items, more: rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].updatedAt.toISOString() : null };
}

/** Unread notifications, counted up to 100 (the header says "99+" beyond). */
export async function unreadCount(userId: string, tx: DbOrTx = db): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from notifications where user_id = ${userId} and read_at is null limit 100) x`,
  );
  return rows[0]?.n ?? 0;
}

/** Unread counts of several people at once, for the live header (people with none get 0). */
export async function unreadCounts(userIds: string[]): Promise<Map<string, number>> {
  const out = new Map(userIds.map((id) => [id, 0]));
  for (let i = 0; i < userIds.length; i += 1000) {
    const chunk = userIds.slice(i, i + 1000);
    const { rows } = await db.execute<{ user_id: string; n: number }>(sql`
      select u.id as user_id, (select count(*)::int from (select 1 from notifications n where n.user_id = u.id and n.read_at is null limit 100) x) as n
        from users u where u.id = any(${textArray(chunk)})`);
    for (const r of rows) out.set(r.user_id, r.n);
  }
  return out;
}

/** Marks one (or, with id null, every) notification of the person read. Returns how many changed. */
export async function markRead(userId: string, id: string | null): Promise<number> {
  const changed = await db
    .update(schema.notifications)
    .set({ readAt: new Date() })
    .where(and(eq(schema.notifications.userId, userId), isNull(schema.notifications.readAt), id ? eq(schema.notifications.id, id) : undefined))
    .returning({ id: schema.notifications.id });
  if (changed.length) publish("notifications.changed", { userIds: [userId] });
  return changed.length;
}
