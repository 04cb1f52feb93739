import { eq } from "drizzle-orm";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmailWorker, type Transport } from "../../app/email/worker.server";
import { sendDigests } from "../../app/jobs/digests.server";
import { joinCommunity } from "../../app/models/communities.server";
import { savePreferences } from "../../app/models/email-preferences.server";
import { followIn } from "../../app/models/follows.server";
import { registerForEvent } from "../../app/models/registrations.server";
import { db, schema } from "../../app/utils/db.server";
import { makeCommunity } from "../fixtures/communities";
import { makeEvent } from "../fixtures/events";
import { startFakeResend } from "../fixtures/fake-resend";
import { makePerson } from "../fixtures/people";

// What Resend receives, through the real SDK against a fake API on loopback: news mail
// carries List-Unsubscribe and List-Unsubscribe-Post; mail about a person's own place and
// account carries neither and is sent whatever they chose for news.

let fake: Awaited<ReturnType<typeof startFakeResend>>;
let transport: Transport;
beforeAll(async () => {
  fake = await startFakeResend();
  transport = { kind: "resend", client: new Resend("re_test_key", { baseUrl: fake.url }), from: "Convene <no-reply@convene.test>" };
});
afterAll(() => fake.close());

const NEVER = {
  weekday: 1,
  hour: 8,
  timeZone: "Europe/London",
  "kind.events": "never",
  "kind.hub_tasks": "never",
  "kind.my_tasks": "never",
  "kind.mentions": "never",
  "kind.join_requests": "never",
  "kind.reports": "never",
  "kind.help_offers": "never",
  "kind.my_payments": "never",
  "kind.payment_queue": "never",
  "kind.data_gaps": "never",
  "kind.data_review": "never",
  "kind.harm_reports": "never",
} as const;

describe("news mail and one-click unsubscribe, as Resend receives them", () => {
  it("every news mail carries both headers (a request at once, a summary); transactional mail neither, and is sent whatever the choices", async () => {
    const c = await makeCommunity({ joinPolicy: "approval" });
    await joinCommunity(await makePerson(), c.slug, "hello");
    const follower = await makePerson();
    await followIn(db, follower.id, "community", c.id);
    await db.insert(schema.notifications).values({
      id: crypto.randomUUID(),
      userId: follower.id,
      kind: "events",
      subjectKey: "event:x",
      spaceKind: "community",
      spaceTitle: c.name,
      text: "New event: something",
      path: "/events",
      createdAt: new Date(Date.now() - 8 * 86_400_000),
      updatedAt: new Date(Date.now() - 8 * 86_400_000),
    });
    await sendDigests(new Date());
    // Someone who turned every kind of news off still gets their own place's mail.
    const quiet = await makePerson();
    await savePreferences(quiet.id, NEVER);
    const { event } = await makeEvent({ capacity: 5 });
    expect(await registerForEvent(quiet, event.id, { appUrl: "http://localhost:3000" })).toMatchObject({ ok: true, status: "confirmed" });

    await createEmailWorker({ transport }).drain();
    const to = (email: string) => fake.received.filter((r) => r.body.to === email || (Array.isArray(r.body.to) && r.body.to.includes(email)));
    const request = to(c.facilitator.email)[0];
    const summary = to(follower.email)[0];
    for (const news of [request, summary]) {
      expect(news.body.headers?.["List-Unsubscribe"]).toMatch(/^<http:\/\/[^>]+\/unsubscribe\/[A-Za-z0-9_-]+>$/);
      expect(news.body.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    }
    expect(summary.body.subject).toMatch(/^Your weekly Convene summary/);
    const own = to(quiet.email);
    expect(own.map((m) => m.body.subject)).toEqual([expect.stringMatching(/place|registered|confirmed/i)]);
    expect(own[0].body.headers ?? {}).toEqual({});
    const [row] = await db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, quiet.email));
    expect(row.status).toBe("sent");
  });
});
