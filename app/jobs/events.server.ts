import { and, eq, gt, lte, sql } from "drizzle-orm";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { reminderMessage } from "../email/templates/events";
import { eventInfo } from "../models/registrations.server";
import { db, schema } from "../utils/db.server";
import { env } from "../utils/env.server";

const HOUR = 3_600_000;

// Reminders 24 h and 1 h before, to confirmed registrants. A reminder is recorded in
// event_reminders_sent in the same transaction as its email: the primary key makes it
// exactly once per person, event and kind, across restarts and processes.
const WINDOWS = [
  { kind: "24h" as const, from: 2 * HOUR, to: 24 * HOUR },
  { kind: "1h" as const, from: 0, to: 1 * HOUR },
];

export async function sendEventReminders(now: Date, appUrl = env().APP_URL ?? `http://${env().HOST}:${env().PORT}`): Promise<number> {
  let sent = 0;
  for (const w of WINDOWS) {
    const due = await db
      .select({ event: schema.events, userId: schema.users.id, name: schema.users.name, email: schema.users.email })
      .from(schema.eventRegistrations)
      .innerJoin(schema.events, eq(schema.events.id, schema.eventRegistrations.eventId))
      .innerJoin(schema.users, eq(schema.users.id, schema.eventRegistrations.userId))
      .where(
        and(
          eq(schema.events.state, "published"),
          eq(schema.eventRegistrations.status, "confirmed"),
          gt(schema.events.startsAt, new Date(now.getTime() + w.from)),
          lte(schema.events.startsAt, new Date(now.getTime() + w.to)),
          sql`not exists (select 1 from event_reminders_sent r where r.event_id = ${schema.events.id} and r.user_id = ${schema.users.id} and r.kind = ${w.kind})`,
        ),
      );
    for (const d of due) {
      const wrote = await db.transaction(async (tx) => {
        const claimed = await tx
          .insert(schema.eventRemindersSent)
          .values({ eventId: d.event.id, userId: d.userId, kind: w.kind })
          .onConflictDoNothing()
          .returning();
        if (!claimed.length) return false;
        const e = d.event;
        await enqueueEmail(
          tx,
          d.email,
          reminderMessage({
            name: d.name,
            kind: w.kind,
            event: eventInfo(e, appUrl),
          }),
        );
        return true;
      });
      if (wrote) sent++;
    }
  }
  if (sent) notifyOutbox(sent);
  return sent;
}

/** Access needs are kept only until 30 days after the event. */
export async function purgeOldAccessNeeds(now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - 30 * 24 * HOUR);
  const res = await db.execute(sql`
    UPDATE event_registrations r SET access_needs = '{}', access_notes = NULL, updated_at = now()
      FROM events e
     WHERE e.id = r.event_id AND e.ends_at < ${cutoff}
       AND (cardinality(r.access_needs) > 0 OR r.access_notes IS NOT NULL)`);
  return (res as unknown as { rowCount?: number; affectedRows?: number }).rowCount ?? (res as unknown as { affectedRows?: number }).affectedRows ?? 0;
}
