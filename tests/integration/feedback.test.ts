import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { feedbackFor, giveFeedback, peekFeedback, sendFeedbackRequests } from "../../app/models/feedback.server";
import { db, schema } from "../../app/utils/db.server";
import { makeEvent } from "../fixtures/events";
import { makeHub } from "../fixtures/hubs";
import { makePerson, tokenFromMail } from "../fixtures/people";

const APP = "http://localhost:3000";
const mailTo = async (email: string) => db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, email));
const answers = { useful: 4, accessible: "yes" as const, gotInTheWay: "", harm: "", anythingElse: "", named: false };

async function pastEvent(opts: { hubId?: string } = {}) {
  const ended = new Date(Date.now() - 25 * 3_600_000);
  const made = await makeEvent({ startsAt: new Date(ended.getTime() - 3_600_000), endsAt: ended, hubId: opts.hubId });
  const people = [await makePerson({ name: "Ada" }), await makePerson({ name: "Bea" }), await makePerson({ name: "Cy" })];
  for (const [i, p] of people.entries()) {
    await db
      .insert(schema.eventRegistrations)
      .values({ id: crypto.randomUUID(), eventId: made.event.id, userId: p.id, status: "confirmed", queuePosition: i + 1 });
  }
  return { ...made, people };
}

describe("feedback after an event", () => {
  it("asks everyone confirmed when attendance was not marked, only those present when it was; once each", async () => {
    const unmarked = await pastEvent();
    const marked = await pastEvent();
    await db.update(schema.eventRegistrations).set({ attended: false }).where(eq(schema.eventRegistrations.eventId, marked.event.id));
    await db.update(schema.eventRegistrations).set({ attended: true }).where(eq(schema.eventRegistrations.userId, marked.people[0].id));
    expect(await sendFeedbackRequests(new Date(), APP)).toBe(4);
    expect(await sendFeedbackRequests(new Date(), APP)).toBe(0);
    for (const p of unmarked.people) expect(await mailTo(p.email)).toHaveLength(1);
    expect(await mailTo(marked.people[0].email)).toHaveLength(1);
    expect(await mailTo(marked.people[1].email)).toHaveLength(0);
    const [mail] = await mailTo(unmarked.people[0].email);
    expect(mail.subject).toBe(`How was ${unmarked.event.title}?`);
  });

  it("an anonymous answer carries no person id; a named one does; each link answers once", async () => {
    const { event, people } = await pastEvent();
    await sendFeedbackRequests(new Date(), APP);
    const tokens = await Promise.all(people.map(async (p) => tokenFromMail((await mailTo(p.email))[0].text, "feedback")));
    expect(await peekFeedback(tokens[0])).toMatchObject({ title: event.title, answered: false });
    expect(await giveFeedback(tokens[0], { ...answers, gotInTheWay: "The captions lagged" })).toMatchObject({ ok: true });
    expect(await giveFeedback(tokens[0], answers)).toMatchObject({ ok: false, status: 409 });
    expect(await giveFeedback(tokens[1], { ...answers, named: true, useful: 2 })).toMatchObject({ ok: true });
    expect(await giveFeedback("not-a-token-at-all-of-ours", answers)).toMatchObject({ ok: false, status: 404 });
    const rows = await db.select().from(schema.eventFeedback).where(eq(schema.eventFeedback.eventId, event.id));
    expect(rows).toHaveLength(2);
    const anonymous = rows.find((r) => r.gotInTheWay === "The captions lagged")!;
    expect(anonymous.userId).toBeNull();
    expect(anonymous.answeredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(anonymous)).not.toContain(people[0].id);
    expect(rows.find((r) => r.useful === 2)?.userId).toBe(people[1].id);
  });

  it("a report of harm reaches the event's organisers and Convene's admins at once", async () => {
    const { event, organiser, people } = await pastEvent();
    const admin = await makePerson({ roles: ["admin"] });
    const bystander = await makePerson();
    await sendFeedbackRequests(new Date(), APP);
    const token = tokenFromMail((await mailTo(people[2].email))[0].text, "feedback");
    await giveFeedback(token, { ...answers, harm: "A speaker mocked people on benefits." });
    for (const who of [organiser, admin]) {
      const [note] = await db.select().from(schema.notifications).where(eq(schema.notifications.userId, who.id));
      expect(note).toMatchObject({ kind: "harm_reports", path: `/events/${event.slug}/feedback` });
      expect(note.text).not.toContain("mocked");
      const mails = await mailTo(who.email);
      expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^Someone reported harm or upset after/)]);
      expect(mails[0].headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    }
    expect(await db.select().from(schema.notifications).where(eq(schema.notifications.userId, bystander.id))).toEqual([]);
  });

  it("organisers read every answer (anonymous ones without a name); a hub's steward the summary; others nothing", async () => {
    const hub = await makeHub();
    const { event, organiser, people } = await pastEvent({ hubId: hub.id });
    await sendFeedbackRequests(new Date(), APP);
    await giveFeedback(tokenFromMail((await mailTo(people[0].email))[0].text, "feedback"), { ...answers, useful: 5 });
    await giveFeedback(tokenFromMail((await mailTo(people[1].email))[0].text, "feedback"), { ...answers, useful: 3, named: true, accessible: "partly" });
    const forOrganiser = await feedbackFor(event, organiser.id);
    expect(forOrganiser?.summary).toMatchObject({ asked: 3, answered: 2, usefulAverage: 4, useful: [0, 0, 1, 0, 1], harmReports: 0 });
    expect(forOrganiser?.summary.accessible).toMatchObject({ yes: 1, partly: 1 });
    expect(forOrganiser?.answers?.map((a) => a.name).sort()).toEqual([null, "Bea"].sort());
    const forSteward = await feedbackFor(event, hub.steward.id);
    expect(forSteward?.answers).toBeNull();
    expect(forSteward?.summary.answered).toBe(2);
    expect(await feedbackFor(event, people[2].id)).toBeNull();
    expect(await feedbackFor(event, null)).toBeNull();
  });
});
