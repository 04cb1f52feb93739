import { eq, sql } from "drizzle-orm";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueEmail } from "../../app/email/outbox.server";
import { createEmailWorker, MAX_ATTEMPTS, type Transport } from "../../app/email/worker.server";
import { db, schema } from "../../app/utils/db.server";
import { withControls } from "../../app/utils/test-controls.server";
import { startFakeResend } from "../fixtures/fake-resend";
import { testDatabaseKind } from "../setup/database";

let fake: Awaited<ReturnType<typeof startFakeResend>>;
let transport: Transport;

beforeAll(async () => {
  fake = await startFakeResend();
  transport = { kind: "resend", client: new Resend("re_test_key", { baseUrl: fake.url }), from: "Convene <no-reply@convene.test>" };
});
afterAll(() => fake.close());

const message = (n: number | string) => ({ subject: `Message ${n}`, text: `Hello ${n}`, html: `<p>Hello ${n}</p>` });

async function clearOutbox() {
  await db.delete(schema.emailOutbox);
  fake.received.length = 0;
}

describe("email outbox", () => {
  it("mail exists only if the change that caused it committed", async () => {
    await clearOutbox();
    await expect(
      db.transaction(async (tx) => {
        await enqueueEmail(tx, "rolled-back@example.org", message("rolled back"));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await db.transaction((tx) => enqueueEmail(tx, "kept@example.org", message("kept")));
    const sent = await createEmailWorker({ transport }).drain();
    expect(sent).toBe(1);
    expect(fake.received.map((r) => r.body.to)).toEqual(["kept@example.org"]);
  });

  it("sends through Resend with the outbox row id as Idempotency-Key, and marks the row sent", async () => {
    await clearOutbox();
    const id = await db.transaction((tx) =>
      enqueueEmail(tx, "who@example.org", message(1), [
        { filename: "event.ics", content: "BEGIN:VCALENDAR", contentType: "text/calendar; charset=utf-8; method=REQUEST" },
      ]),
    );
    await createEmailWorker({ transport }).drain();
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0].idempotencyKey).toBe(id);
    expect(fake.received[0].body).toMatchObject({ to: "who@example.org", subject: "Message 1", text: "Hello 1" });
    expect(fake.received[0].body.attachments).toEqual([
      expect.objectContaining({
        filename: "event.ics",
        content: Buffer.from("BEGIN:VCALENDAR").toString("base64"),
        // The method reaches the part's content type: what Gmail reads to show an invitation.
        content_type: "text/calendar; charset=utf-8; method=REQUEST",
      }),
    ]);
    const [row] = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.id, id));
    expect(row).toMatchObject({ status: "sent", providerId: "re_1", attempts: 1 });
  });

  it("retries a failed send with backoff, then gives up after the last attempt", async () => {
    await clearOutbox();
    const id = await db.transaction((tx) => enqueueEmail(tx, "retry@example.org", message("retry")));
    const worker = createEmailWorker({ transport });
    fake.failNext(1);
    expect(await worker.drain()).toBe(0);
    let [row] = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.id, id));
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/Temporary failure/);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    // Not due yet: nothing is sent.
    expect(await worker.drain()).toBe(0);
    await db
      .update(schema.emailOutbox)
      .set({ nextAttemptAt: new Date(Date.now() - 1) })
      .where(eq(schema.emailOutbox.id, id));
    expect(await worker.drain()).toBe(1);
    [row] = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.id, id));
    expect(row).toMatchObject({ status: "sent", attempts: 2 });

    const doomed = await db.transaction((tx) => enqueueEmail(tx, "doomed@example.org", message("doomed")));
    fake.failNext(MAX_ATTEMPTS);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await db
        .update(schema.emailOutbox)
        .set({ nextAttemptAt: new Date(Date.now() - 1) })
        .where(eq(schema.emailOutbox.id, doomed));
      await worker.drain();
    }
    [row] = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.id, doomed));
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
  });

  it("a lease left by a process that died mid-send expires and the row is sent, with the same key", async () => {
    await clearOutbox();
    const id = await db.transaction((tx) => enqueueEmail(tx, "crash@example.org", message("crash")));
    // What a crash leaves behind: leased, never marked.
    await db.execute(sql`UPDATE email_outbox SET status = 'sending', attempts = 1, locked_until = now() + interval '1 hour' WHERE id = ${id}`);
    expect(await createEmailWorker({ transport }).drain()).toBe(0);
    await db.execute(sql`UPDATE email_outbox SET locked_until = now() - interval '1 second' WHERE id = ${id}`);
    expect(await createEmailWorker({ transport }).drain()).toBe(1);
    expect(fake.received.map((r) => r.idempotencyKey)).toEqual([id]);
  });

  const N = 40;
  async function raceWorkers(guardOff: boolean) {
    await clearOutbox();
    await db.transaction(async (tx) => {
      for (let i = 0; i < N; i++) await enqueueEmail(tx, `many${i}@example.org`, message(i));
    });
    fake.setDelay(5);
    try {
      const workers = [1, 2, 3, 4].map(() => createEmailWorker({ transport }));
      await withControls({ guardsOff: guardOff ? ["email-lease"] : [] }, () => Promise.all(workers.map((w) => w.drain())));
    } finally {
      fake.setDelay(0);
    }
    const keys = fake.received.map((r) => r.idempotencyKey);
    return { sends: keys.length, distinct: new Set(keys).size };
  }

  it("several workers never send one row twice", async () => {
    const { sends, distinct } = await raceWorkers(false);
    expect(distinct).toBe(N);
    expect(sends).toBe(N);
  });

  // Control run: with the lease switched off, the same workers do send rows twice. PGlite
  // has one connection, so its transactions cannot interleave and the race cannot show.
  it.runIf(testDatabaseKind() === "postgres")("control: without the lease, workers send duplicates", async () => {
    const { sends, distinct } = await raceWorkers(true);
    expect(distinct).toBe(N);
    expect(sends).toBeGreaterThan(N);
  });
});
