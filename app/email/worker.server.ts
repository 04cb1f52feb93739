import { sql } from "drizzle-orm";
import { Resend } from "resend";
import { subscribe } from "../utils/bus.server";
import { db } from "../utils/db.server";
import { devMailboxEnabled, env } from "../utils/env.server";
import { describeError, log } from "../utils/log.server";
import { controlWindow, guardOff } from "../utils/test-controls.server";

// Delivers the outbox. Rows are leased in a short transaction (FOR UPDATE SKIP LOCKED,
// status 'sending', locked_until), sent with no transaction open, then marked in another
// (STACK.md rule 2). A process dying mid-send leaves a lease that expires; the row is
// sent again with the same Idempotency-Key, which Resend deduplicates for 24 h.

export const LEASE_SECONDS = 120;
export const MAX_ATTEMPTS = 8;
const BATCH = 10;

type LeasedRow = {
  id: string;
  to_address: string;
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: string; contentType: string }[];
  headers: Record<string, string> | null;
  attempts: number;
};

export type Transport = { kind: "resend"; client: Resend; from: string } | { kind: "devlog" } | { kind: "none" };

export function transportFromEnv(): Transport {
  const e = env();
  if (e.RESEND_API_KEY) {
    return { kind: "resend", client: new Resend(e.RESEND_API_KEY, { baseUrl: e.RESEND_BASE_URL }), from: e.MAIL_FROM };
  }
  return devMailboxEnabled() ? { kind: "devlog" } : { kind: "none" };
}

/** Backoff after the n-th failed attempt: 30 s, 1 min, 2 min … capped at 1 h. */
export const backoffSeconds = (attempts: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

async function lease(unsafe: boolean): Promise<LeasedRow[]> {
  if (unsafe) {
    // Test-only control: check-then-act without a lock, to show the race the lease prevents.
    const due = await db.execute<{ id: string }>(sql`
      SELECT id FROM email_outbox
      WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY created_at LIMIT ${BATCH}`);
    if (!due.rows.length) return [];
    await controlWindow();
    const ids = due.rows.map((r) => r.id);
    const res = await db.execute<LeasedRow>(sql`
      UPDATE email_outbox SET status = 'sending', attempts = attempts + 1,
        locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
      WHERE id IN (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})
      RETURNING id, to_address, subject, text, html, attachments, headers, attempts`);
    return res.rows;
  }
  const res = await db.execute<LeasedRow>(sql`
    UPDATE email_outbox SET status = 'sending', attempts = attempts + 1,
      locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
    WHERE id IN (
      SELECT id FROM email_outbox
      WHERE (status = 'pending' AND next_attempt_at <= now())
         OR (status = 'sending' AND locked_until < now())
      ORDER BY created_at
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, to_address, subject, text, html, attachments, headers, attempts`);
  return res.rows;
}

async function deliver(transport: Transport, row: LeasedRow): Promise<{ ok: true; providerId: string } | { ok: false; error: string }> {
  if (transport.kind === "devlog") {
    log.info("mail", "written to the dev mailbox (not sent)", { to: row.to_address, subject: row.subject, text: row.text });
    return { ok: true, providerId: "dev-mailbox" };
  }
  if (transport.kind === "none") return { ok: false, error: "No RESEND_API_KEY is set: mail cannot be sent" };
  try {
    const { data, error } = await transport.client.emails.send(
      {
        from: transport.from,
        to: row.to_address,
        subject: row.subject,
        text: row.text,
        html: row.html,
        attachments: row.attachments.map((a) => ({
          filename: a.filename,
          content: Buffer.from(a.content, "utf8").toString("base64"),
          contentType: a.contentType,
        })),
        ...(row.headers && Object.keys(row.headers).length ? { headers: row.headers } : {}),
      },
      { idempotencyKey: row.id },
    );
    if (error || !data) return { ok: false, error: error?.message ?? "Resend returned no id" };
    return { ok: true, providerId: data.id };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

async function markSent(id: string, providerId: string) {
  await db.execute(sql`
    UPDATE email_outbox SET status = 'sent', sent_at = now(), provider_id = ${providerId},
      locked_until = NULL, last_error = NULL
    WHERE id = ${id} AND status = 'sending'`);
}

async function markFailed(row: LeasedRow, error: string) {
  const final = row.attempts >= MAX_ATTEMPTS;
  await db.execute(sql`
    UPDATE email_outbox SET status = ${final ? "failed" : "pending"}, last_error = ${error.slice(0, 500)},
      locked_until = NULL,
      next_attempt_at = now() + make_interval(secs => ${backoffSeconds(row.attempts)})
    WHERE id = ${row.id} AND status = 'sending'`);
  log.info("mail", final ? "gave up" : "will retry", { outboxId: row.id, error: error.slice(0, 300) });
}

export type EmailWorker = {
  /** Delivers everything due now; resolves with the number sent. */
  drain: () => Promise<number>;
  start: () => void;
  stop: () => Promise<void>;
};

export function createEmailWorker(opts: { transport?: Transport; pollMs?: number } = {}): EmailWorker {
  const transport = opts.transport ?? transportFromEnv();
  const pollMs = opts.pollMs ?? env().EMAIL_POLL_MS;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let again = false;
  let unsubscribe: (() => void) | null = null;

  async function drainOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const rows = await lease(guardOff("email-lease"));
      if (!rows.length) return sent;
      for (const row of rows) {
        const result = await deliver(transport, row);
        if (result.ok) {
          await markSent(row.id, result.providerId);
          sent++;
        } else {
          await markFailed(row, result.error);
        }
      }
    }
  }

  // One drain at a time per worker; a wake-up during a drain schedules one more pass.
  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = drainOnce()
      .catch((err) => {
        log.error("mail", "worker pass failed", { error: describeError(err) });
        return 0;
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void drain();
        }
      });
    return running;
  }

  return {
    drain,
    start() {
      if (transport.kind === "none") {
        // Production without a provider: keep mail queued (nothing lost) rather than churn retries.
        log.info("mail", "RESEND_API_KEY is not set: mail stays in the outbox, unsent, until it is");
        return;
      }
      timer = setInterval(() => void drain(), pollMs);
      timer.unref();
      unsubscribe = subscribe("email.enqueued", () => {
        setTimeout(() => void drain(), 10);
      });
      void drain();
    },
    async stop() {
      if (timer) clearInterval(timer);
      unsubscribe?.();
      if (running) await running;
    },
  };
}
