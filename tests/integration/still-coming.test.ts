import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { answerPlaceCheck, peekPlaceCheck, placeCheckSummary, sendPlaceChecks } from "../../app/models/place-checks.server";
import { db, schema } from "../../app/utils/db.server";
import { makeEvent } from "../fixtures/events";
import { makePerson, tokenFromMail } from "../fixtures/people";

const APP = "http://localhost:3000";

async function statusOf(eventId: string, userId: string) {
  const [r] = await db
    .select({ status: schema.eventRegistrations.status })
    .from(schema.eventRegistrations)
    .where(and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.userId, userId)));
  return r?.status ?? null;
}

async function fullEvent(startsInHours: number) {
  const { event } = await makeEvent({ capacity: 2, startsAt: new Date(Date.now() + startsInHours * 3_600_000) });
  const [a, b, waiting] = [await makePerson({ name: "Amy" }), await makePerson({ name: "Bo" }), await makePerson({ name: "Wendy" })];
  await db.insert(schema.eventRegistrations).values([
    { id: crypto.randomUUID(), eventId: event.id, userId: a.id, status: "confirmed", queuePosition: 1 },
    { id: crypto.randomUUID(), eventId: event.id, userId: b.id, status: "confirmed", queuePosition: 2 },
    { id: crypto.randomUUID(), eventId: event.id, userId: waiting.id, status: "waitlisted", queuePosition: 3 },
  ]);
  return { event, a, b, waiting };
}

const mailTo = async (email: string) => db.select().from(schema.emailOutbox).where(eq(schema.emailOutbox.toAddress, email));

describe("still coming?", () => {
  it("asks each confirmed person of a full event with a waitlist once, a day before; no unsubscribe on mail about their own place", async () => {
    const { event, a, b, waiting } = await fullEvent(20);
    const notFull = await makeEvent({ capacity: 10, startsAt: new Date(Date.now() + 20 * 3_600_000) });
    expect(await sendPlaceChecks(new Date(), APP)).toBe(2);
    expect(await sendPlaceChecks(new Date(), APP)).toBe(0);
    const [mail] = await mailTo(a.email);
    expect(mail.subject).toBe(`Still coming to ${event.title}?`);
    expect(mail.text).toMatch(/Yes, keep my place: http:\/\/localhost:3000\/still-coming\/[A-Za-z0-9_-]+\?answer=keep/);
    expect(mail.text).toMatch(/give my place to someone waiting: http:\/\/localhost:3000\/still-coming\/[A-Za-z0-9_-]+\?answer=release/);
    expect(mail.headers).toEqual({});
    expect(await mailTo(b.email)).toHaveLength(1);
    expect(await mailTo(waiting.email)).toHaveLength(0);
    expect(await db.select().from(schema.placeChecks).where(eq(schema.placeChecks.eventId, notFull.event.id))).toEqual([]);
  });

  it("letting a place go promotes the head of the waitlist at once; a second press, or a wrong token, changes nothing", async () => {
    const { event, a, b, waiting } = await fullEvent(22);
    await sendPlaceChecks(new Date(), APP);
    const tokenA = tokenFromMail((await mailTo(a.email))[0].text, "still-coming");
    const tokenB = tokenFromMail((await mailTo(b.email))[0].text, "still-coming");

    // Opening the page changes nothing.
    expect(await peekPlaceCheck(tokenA)).toMatchObject({ title: event.title, answer: null, holdsPlace: true, over: false });
    expect(await statusOf(event.id, a.id)).toBe("confirmed");

    expect(await answerPlaceCheck(tokenA, "release", APP)).toMatchObject({ ok: true, message: expect.stringMatching(/gone to the next person/) });
    expect(await statusOf(event.id, a.id)).toBe("cancelled");
    expect(await statusOf(event.id, waiting.id)).toBe("confirmed");
    expect((await mailTo(waiting.email)).map((m) => m.subject).join()).toMatch(/place/i);

    // Again: refused, nothing moves (Bo is not touched, Amy is not re-registered).
    expect(await answerPlaceCheck(tokenA, "release", APP)).toMatchObject({ ok: false, status: 409 });
    expect(await answerPlaceCheck(tokenA, "keep", APP)).toMatchObject({ ok: false, status: 409 });
    expect(await statusOf(event.id, a.id)).toBe("cancelled");
    expect(await statusOf(event.id, b.id)).toBe("confirmed");

    // Tampered or unknown tokens: nothing.
    expect(await answerPlaceCheck(`${tokenB.slice(0, -3)}abc`, "release", APP)).toMatchObject({ ok: false, status: 404 });
    expect(await answerPlaceCheck("../../etc", "release", APP)).toMatchObject({ ok: false, status: 404 });
    expect(await peekPlaceCheck("nope")).toBeNull();
    expect(await statusOf(event.id, b.id)).toBe("confirmed");

    expect(await answerPlaceCheck(tokenB, "keep", APP)).toMatchObject({ ok: true });
    expect(await statusOf(event.id, b.id)).toBe("confirmed");
    expect(await placeCheckSummary(event.id)).toEqual({ asked: 2, kept: 1, released: 1, unanswered: 0 });
  });

  it("two presses of release at the same moment cancel once and promote once", async () => {
    const { event, a, waiting } = await fullEvent(21);
    const extra = await makePerson();
    await db.insert(schema.eventRegistrations).values({ id: crypto.randomUUID(), eventId: event.id, userId: extra.id, status: "waitlisted", queuePosition: 4 });
    await sendPlaceChecks(new Date(), APP);
    const token = tokenFromMail((await mailTo(a.email))[0].text, "still-coming");
    const results = await Promise.all([1, 2, 3].map(() => answerPlaceCheck(token, "release", APP)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await statusOf(event.id, waiting.id)).toBe("confirmed");
    expect(await statusOf(event.id, extra.id)).toBe("waitlisted");
  });
});
