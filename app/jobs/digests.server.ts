import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { type DigestSection, digestMessage, spaceHeading } from "../email/templates/notifications";
import { unsubscribeHeaders, unsubscribeTokens, unsubscribeUrl } from "../models/email-preferences.server";
import { NEWS_KIND_INFO, NEWS_KINDS, type NewsKind } from "../models/notification-kinds";
import { appUrlForMail } from "../models/notifications.server";
import { db, schema } from "../utils/db.server";
import { describeError, log } from "../utils/log.server";
import { controlWindow, guardOff, testControls } from "../utils/test-controls.server";

// Daily and weekly summaries. For each person with notifications not yet read or mailed,
// and each summary they take (a kind set to "daily" or "weekly"), the period is the latest
// scheduled time (their hour, and for weekly their day, in their zone) that has passed. A
// summary holds what was notified before that time; it is sent only when there is some.
//
// Exactly once per person per period, across processes and restarts: the transaction that
// enqueues the mail first inserts (person, cadence, period) into digests_sent, whose
// primary key lets one transaction win; the mail and the row commit together or not at all.
// A person who missed their time (every process down) gets the summary at the next run.

export type Cadence = "daily" | "weekly";
type Person = { id: string; email: string; name: string; weekday: number; hour: number; timeZone: string };

const BATCH = 500;

/** The latest scheduled time at or before `now` for this person and cadence, and its period's key. */
export function periodOf(cadence: Cadence, p: Pick<Person, "weekday" | "hour" | "timeZone">, now: Date): { at: Date; key: string } {
  const local = DateTime.fromJSDate(now, { zone: p.timeZone });
  let at = local.set({ hour: p.hour, minute: 0, second: 0, millisecond: 0 });
  if (cadence === "weekly") {
    at = at.plus({ days: p.weekday - at.weekday });
    if (at > local) at = at.minus({ weeks: 1 });
  } else if (at > local) at = at.minus({ days: 1 });
  return { at: at.toJSDate(), key: at.toISODate() ?? at.toISO() ?? String(+at) };
}

const SPACE_ORDER = { event: 0, hub: 1, community: 2, organisation: 3, convene: 4 } as const;

/** How many people's summaries are built at once (each its own short transaction). */
const CONCURRENCY = 4;

/** Sends every summary that is due. Returns how many were enqueued. */
export async function sendDigests(now: Date = new Date()): Promise<number> {
  let sent = 0;
  let after = "";
  const appUrl = appUrlForMail();
  for (;;) {
    const { rows: batch } = await db.execute<Person>(sql`
      select p.user_id as id, u.email, u.name, coalesce(ds.weekday, 1) as weekday, coalesce(ds.hour, 8) as hour,
             coalesce(ds.time_zone, 'Europe/London') as "timeZone"
        from (select distinct user_id from notifications where read_at is null and mailed_at is null and user_id > ${after}
               order by user_id limit ${BATCH}) p
        join users u on u.id = p.user_id
        left join digest_settings ds on ds.user_id = p.user_id
       order by p.user_id`);
    if (!batch.length) break;
    after = batch[batch.length - 1].id;
    const ids = batch.map((p) => p.id);
    const choices = await db.select().from(schema.emailPreferences).where(inArray(schema.emailPreferences.userId, ids));
    // What each person's summaries are: their kinds per cadence.
    const work: { person: Person; cadence: Cadence; kinds: NewsKind[] }[] = [];
    for (const person of batch) {
      const mine = new Map(choices.filter((c) => c.userId === person.id).map((c) => [c.kind, c.cadence]));
      for (const cadence of ["daily", "weekly"] as const) {
        const kinds = NEWS_KINDS.filter((k) => (mine.get(k) ?? NEWS_KIND_INFO[k].byDefault) === cadence);
        if (kinds.length) work.push({ person, cadence, kinds });
      }
    }
    // Their unsubscribe links, made for the whole batch at once.
    const tokens = {
      daily: await unsubscribeTokens(db, [...new Set(work.filter((w) => w.cadence === "daily").map((w) => w.person.id))], "daily"),
      weekly: await unsubscribeTokens(db, [...new Set(work.filter((w) => w.cadence === "weekly").map((w) => w.person.id))], "weekly"),
    };
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const { person, cadence, kinds } = work[next++];
        if (testControls.digestPauseMs) await new Promise((r) => setTimeout(r, testControls.digestPauseMs));
        try {
          const unsub = unsubscribeUrl(appUrl, tokens[cadence].get(person.id)!);
          if (await sendOne(person, cadence, kinds, now, appUrl, unsub)) sent++;
        } catch (err) {
          log.error("digests", "a summary failed", { userId: person.id, cadence, error: describeError(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
  if (sent) notifyOutbox(sent);
  return sent;
}

class NothingToSend extends Error {}

type Row = typeof schema.notifications.$inferSelect;

async function sendOne(person: Person, cadence: Cadence, kinds: NewsKind[], now: Date, appUrl: string, unsub: string): Promise<boolean> {
  const period = periodOf(cadence, person, now);
  const pending = and(
    eq(schema.notifications.userId, person.id),
    inArray(schema.notifications.kind, kinds),
    isNull(schema.notifications.readAt),
    isNull(schema.notifications.mailedAt),
    lt(schema.notifications.createdAt, period.at),
  );
  try {
    return await db.transaction(async (tx) => {
      let items: Row[];
      if (guardOff("digest-once")) {
        // Control run: check, then act, without the period's row deciding.
        const [seen] = await tx
          .select({ userId: schema.digestsSent.userId })
          .from(schema.digestsSent)
          .where(and(eq(schema.digestsSent.userId, person.id), eq(schema.digestsSent.cadence, cadence), eq(schema.digestsSent.periodKey, period.key)));
        if (seen) throw new NothingToSend();
        items = await tx.select().from(schema.notifications).where(pending);
        if (!items.length) throw new NothingToSend();
        // Held open long enough that processes started together overlap on the same person
        // however unevenly a busy machine runs them.
        await controlWindow(300);
        await tx
          .update(schema.notifications)
          .set({ mailedAt: now })
          .where(
            inArray(
              schema.notifications.id,
              items.map((i) => i.id),
            ),
          );
        await tx.insert(schema.digestsSent).values({ userId: person.id, cadence, periodKey: period.key, items: items.length }).onConflictDoNothing();
      } else {
        // One statement: the period's row is inserted only when something is pending (so a
        // quiet week sends nothing) and only by one transaction (its primary key); the
        // entries are marked mailed only by the transaction that inserted it.
        const won = tx.$with("won").as(
          tx
            .insert(schema.digestsSent)
            .select(
              tx
                .select({
                  userId: sql<string>`${person.id}`.as("user_id"),
                  cadence: sql<Cadence>`${cadence}`.as("cadence"),
                  periodKey: sql<string>`${period.key}`.as("period_key"),
                  items: sql<number>`count(*)::int`.as("items"),
                  sentAt: sql<Date>`now()`.as("sent_at"),
                })
                .from(schema.notifications)
                .where(pending)
                .having(sql`count(*) > 0`),
            )
            .onConflictDoNothing()
            .returning({ userId: schema.digestsSent.userId }),
        );
        items = await tx
          .with(won)
          .update(schema.notifications)
          .set({ mailedAt: now })
          .where(and(pending, sql`exists (select 1 from ${won})`))
          .returning();
        if (!items.length) throw new NothingToSend();
      }
      const sections = new Map<string, DigestSection & { order: number }>();
      for (const n of items.sort((a, b) => +a.updatedAt - +b.updatedAt)) {
        const key = `${n.spaceKind}:${n.spaceTitle}`;
        const section = sections.get(key) ?? { heading: spaceHeading(n.spaceKind, n.spaceTitle), items: [], order: SPACE_ORDER[n.spaceKind] };
        section.items.push({ text: n.text, url: `${appUrl}${n.path}`, changes: n.changes });
        sections.set(key, section);
      }
      await enqueueEmail(
        tx,
        person.email,
        digestMessage({
          name: person.name,
          cadence,
          sections: [...sections.values()].sort((a, b) => a.order - b.order || a.heading.localeCompare(b.heading)),
          notificationsUrl: `${appUrl}/notifications`,
          settingsUrl: `${appUrl}/notifications/settings`,
          unsubscribeUrl: unsub,
        }),
        [],
        unsubscribeHeaders(unsub),
      );
      return true;
    });
  } catch (err) {
    if (err instanceof NothingToSend) return false;
    throw err;
  }
}

/** Keeps digests_sent to what decides the coming periods: rows older than five weeks go. */
export async function pruneDigestsSent(now: Date) {
  await db.delete(schema.digestsSent).where(lt(schema.digestsSent.sentAt, new Date(now.getTime() - 35 * 86_400_000)));
}
