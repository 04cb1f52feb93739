import { desc, eq } from "drizzle-orm";
import type { OutboxAttachment } from "../../db/schema";
import { publish } from "../utils/bus.server";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import type { RenderedEmail } from "./templates/layout";

/**
 * Records an email in the outbox. Pass the transaction that makes the change the email
 * is about: the mail exists if and only if the change committed. The worker delivers it.
 */
export async function enqueueEmail(
  tx: DbOrTx,
  to: string,
  message: RenderedEmail,
  attachments: OutboxAttachment[] = [],
  headers: Record<string, string> = {},
): Promise<string> {
  const [id] = await enqueueEmails(tx, [{ to, message, attachments, headers }]);
  return id;
}

/** Records several emails in one statement (same rule as enqueueEmail). */
export async function enqueueEmails(
  tx: DbOrTx,
  mails: { to: string; message: RenderedEmail; attachments?: OutboxAttachment[]; headers?: Record<string, string> }[],
): Promise<string[]> {
  if (!mails.length) return [];
  const rows = mails.map((m) => ({
    id: newId(),
    toAddress: m.to,
    subject: m.message.subject,
    text: m.message.text,
    html: m.message.html,
    attachments: m.attachments ?? [],
    headers: m.headers ?? {},
  }));
  await tx.insert(schema.emailOutbox).values(rows);
  return rows.map((r) => r.id);
}

/** Wakes the worker after a commit, so mail does not wait for the next poll. */
export const notifyOutbox = (count = 1) => publish("email.enqueued", { count });

export async function listDevMail(limit = 100) {
  return db.select().from(schema.emailOutbox).orderBy(desc(schema.emailOutbox.createdAt)).limit(limit);
}

export async function getDevMail(id: string) {
  const [row] = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.id, id)).limit(1);
  return row ?? null;
}
