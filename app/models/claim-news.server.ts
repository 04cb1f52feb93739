import { sql } from "drizzle-orm";
import type { DbOrTx } from "../utils/db.server";
import { notify } from "./notifications.server";

// Being told one can claim payment for taking part (its own module: the attendance model
// calls it, and the claims model builds on the events model).

/**
 * After attendance is saved: each attendee an offer pays, who has no claim and has not been
 * told before, is told they can claim (their news, and mail unless they chose otherwise).
 */
export async function tellAttendeesTheyCanClaim(tx: DbOrTx, event: { id: string; slug: string; title: string }) {
  const key = `claim-open:${event.id}`;
  await notify(
    tx,
    sql`select r.user_id from event_registrations r join payment_offers o on o.event_id = r.event_id
        where r.event_id = ${event.id} and r.status = 'confirmed' and r.attended is true
          and (o.eligibility = 'all_attendees' or exists (select 1 from paid_participants pp where pp.event_id = r.event_id and pp.user_id = r.user_id))
          and not exists (select 1 from payment_claims c where c.event_id = r.event_id and c.user_id = r.user_id)
          and not exists (select 1 from notifications n where n.user_id = r.user_id and n.subject_key = ${key})`,
    {
      kind: "my_payments",
      subjectKey: key,
      spaceKind: "event",
      spaceTitle: event.title,
      text: "Thank you for taking part: you can now claim your payment and expenses.",
      path: `/events/${event.slug}/claim`,
    },
  );
}
