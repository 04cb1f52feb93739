import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import type { RenderedEmail } from "../email/templates/layout";
import { newToken, sha256hex } from "../utils/crypto.server";
import { db, type schema, type Transaction } from "../utils/db.server";

// A question mailed once per person and event, answered through a link that needs no login
// ("still coming?", feedback): the row that records it (its token hashed) and the mail are
// written in one transaction, and the table's primary key (event, person) makes it once,
// across processes and restarts.

type QuestionTable = typeof schema.placeChecks | typeof schema.feedbackRequests;
export type Due = { event_id: string; user_id: string; email: string };

/** Asks each person in `due` once; returns how many were asked now. */
export async function askOnce<R extends Due>(
  table: QuestionTable,
  due: R[],
  message: (tx: Transaction, row: R, token: string) => Promise<RenderedEmail>,
): Promise<number> {
  let sent = 0;
  for (const d of due) {
    const token = newToken();
    const wrote = await db.transaction(async (tx) => {
      const claimed = await tx
        .insert(table)
        .values({ eventId: d.event_id, userId: d.user_id, tokenHash: sha256hex(token) })
        .onConflictDoNothing()
        .returning({ eventId: table.eventId });
      if (!claimed.length) return false;
      await enqueueEmail(tx, d.email, await message(tx, d, token));
      return true;
    });
    if (wrote) sent++;
  }
  if (sent) notifyOutbox(sent);
  return sent;
}
