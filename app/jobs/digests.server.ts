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

/** Sends every summary that is due. Returns how many were enqueued. */
export async function sendDigests(now: Date = new Date()): Promise<number> {
  let sent = 0;
  let after = "";
  for (;;) {
    const { rows: batch } = await db.execute<Person & { time_zone: string }>(sql`
      select p.user_id as id, u.email, u.name, coalesce(ds.weekday, 1) as weekday, coalesce(ds.hour, 8) as hour,
             coalesce(ds.time_zone, 'Europe/London') as "timeZone"
        from (select distinct user_id from notifications where read_at is null and mailed_at is null and user_id > ${after}
               order by user_id limit ${BATCH}) p
        join users u on u.id = p.user_id
        left join digest_settings ds on ds.user_id = p.user_id
       order by p.user_id`);
    if (!batch.length) break;
    after = batch[batch.length - 1].id;
    const choices = await db
      .select()
      .from(schema.emailPreferences)
      .where(
        inArray(
          schema.emailPreferences.userId,
          batch.map((p) => p.id),
        ),
      );
    for (const person of batch) {
      const mine = new Map(choices.filter((c) => c.userId === person.id).map((c) => [c.kind, c.cadence]));
      for (const cadence of ["daily", "weekly"] as const) {
        const kinds = NEWS_KINDS.filter((k) => (mine.get(k) ?? NEWS_KIND_INFO[k].byDefault) === cadence);
        if (!kinds.length) continue;
        if (testControls.digestPauseMs) await new Promise((r) => setTimeout(r, testControls.digestPauseMs));
        try {
          if (await sendOne(person, cadence, kinds, now)) sent++;
        } catch (err) {
          log.error("digests", "a summary failed", { userId: person.id, cadence, error: describeError(err) });
        }
      }
    }
  }
  if (sent) notifyOutbox(sent);
  return sent;
}

class NothingToSend extends Error {}

async function sendOne(person: Person, cadence: Cadence, kinds: NewsKind[], now: Date): Promise<boolean> {
  const period = periodOf(cadence, person, now);
  const pending = and(
    eq(schema.notifications.userId, person.id),
    inArray(schema.notifications.kind, kinds),
    isNull(schema.notifications.readAt),
    isNull(schema.notifications.mailedAt),
    lt(schema.notifications.createdAt, period.at),
  );
  const [any] = await db.select({ id: schema.notifications.id }).from(schema.notifications).where(pending).limit(1);
  if (!any) return false;
  try {
    return await db.transaction(async (tx) => {
      let items: (typeof schema.notifications.$inferSelect)[];
      if (guardOff("digest-once")) {
        // Control run: check, then act, without the period's row deciding.
        const [seen] = await tx
          .select({ userId: schema.digestsSent.userId })
          .from(schema.digestsSent)
          .where(and(eq(schema.digestsSent.userId, person.id), eq(schema.digestsSent.cadence, cadence), eq(schema.digestsSent.periodKey, period.key)));
        if (seen) throw new NothingToSend();
        items = await tx.select().from(schema.notifications).where(pending);
        await controlWindow();
        if (items.length) {
          await tx
            .update(schema.notifications)
            .set({ mailedAt: now })
            .where(
              inArray(
                schema.notifications.id,
                items.map((i) => i.id),
              ),
            );
        }
      } else {
        const won = await tx
          .insert(schema.digestsSent)
          .values({ userId: person.id, cadence, periodKey: period.key, items: 0 })
          .onConflictDoNothing()
          .returning({ userId: schema.digestsSent.userId });
        if (!won.length) throw new NothingToSend();
        items = await tx.update(schema.notifications).set({ mailedAt: now }).where(pending).returning();
      }
      if (!items.length) throw new NothingToSend();
      await tx
        .insert(schema.digestsSent)
        .values({ userId: person.id, cadence, periodKey: period.key, items: items.length })
        .onConflictDoUpdate({ target: [schema.digestsSent.userId, schema.digestsSent.cadence, schema.digestsSent.periodKey], set: { items: items.length } });
      const sections = new Map<string, DigestSection & { order: number }>();
      for (const n of items.sort((a, b) => +a.updatedAt - +b.updatedAt)) {
        const key = `${n.spaceKind}:${n.spaceTitle}`;
        const section = sections.get(key) ?? { heading: spaceHeading(n.spaceKind, n.spaceTitle), items: [], order: SPACE_ORDER[n.spaceKind] };
        section.items.push({ text: n.text, url: `${appUrlForMail()}${n.path}`, changes: n.changes });
        sections.set(key, section);
      }
      const appUrl = appUrlForMail();
      const token = (await unsubscribeTokens(tx, [person.id], cadence)).get(person.id)!;
      const unsub = unsubscribeUrl(appUrl, token);
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
