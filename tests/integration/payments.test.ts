import { describe, expect, it } from "vitest";
import { type PaymentChoiceForm, PaymentOfferForm } from "../../app/forms/events.server";
import { offerSentence } from "../../app/models/payment-words";
import {
  choicePage,
  markPaidParticipant,
  paymentOnEventPage,
  paymentsPage,
  savePaymentChoice,
  setPaymentOffer,
  withdrawPaymentOffer,
} from "../../app/models/payments.server";
import { db, schema } from "../../app/utils/db.server";
import { parseForm } from "../../app/utils/forms.server";
import { makeOrganisation } from "../fixtures/communities";
import { makeEvent } from "../fixtures/events";
import { makePerson } from "../fixtures/people";

const verified = <T extends { id: string }>(p: T) => ({ ...p, emailVerifiedAt: new Date() });

async function parse<S extends typeof PaymentOfferForm | typeof PaymentChoiceForm>(schemaOf: S, values: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) fd.append(k, one);
  return parseForm(fd, schemaOf);
}

async function confirmedPlace(eventId: string, name: string) {
  const p = await makePerson({ name });
  await db.insert(schema.eventRegistrations).values({ id: crypto.randomUUID(), eventId, userId: p.id, status: "confirmed" });
  return verified(p);
}

const offer = {
  honorarium: 5000,
  honorariumUnit: "session" as const,
  expenses: ["travel" as const, "care" as const],
  eligibility: "all_attendees" as const,
  budget: null,
};

describe("payment for taking part: offers and private choices", () => {
  it("reads amounts as whole pence, never floating point, and refuses anything else beside the field", async () => {
    const ok = await parse(PaymentOfferForm, { intent: "offer", honorarium: "£1,250.50", honorariumUnit: "half_day", eligibility: "marked", budget: "2000" });
    expect(ok).toMatchObject({ ok: true, data: { honorarium: 125050, budget: 200000, expenses: [] } });
    expect(await parse(PaymentOfferForm, { intent: "offer", honorarium: "12.5", honorariumUnit: "session", eligibility: "all_attendees" })).toMatchObject({
      ok: true,
      data: { honorarium: 1250 },
    });
    for (const bad of ["12.505", ".5", "12.", "1e3", "-5", "50p", "0x10", "9".repeat(30), "2,000.01"]) {
      const r = await parse(PaymentOfferForm, { intent: "offer", honorarium: bad, honorariumUnit: "session", eligibility: "all_attendees" });
      expect(r.ok, bad).toBe(false);
      expect((r as { fieldErrors: Record<string, string> }).fieldErrors.honorarium, bad).toBeTruthy();
    }
    const nothing = await parse(PaymentOfferForm, { intent: "offer", honorarium: "", honorariumUnit: "session", eligibility: "all_attendees" });
    expect(nothing).toMatchObject({ ok: false, fieldErrors: { honorarium: "Offer an honorarium, some expenses, or both" } });
    expect(offerSentence({ honorariumPence: 5000, honorariumUnit: "session", expenses: ["travel", "care"], eligibility: "all_attendees" })).toBe(
      "We pay £50 for taking part, and your travel and care costs.",
    );
    expect(offerSentence({ honorariumPence: null, honorariumUnit: "session", expenses: ["travel"], eligibility: "all_attendees" })).toBe(
      "We pay your travel costs.",
    );
  });

  it("only the event's organisers offer; only eligible people choose; a choice is seen by its person and the approvers alone", async () => {
    const { event, organiser } = await makeEvent();
    const org = verified(organiser);
    const stranger = verified(await makePerson());
    const payments = verified(await makePerson({ roles: ["payments"] }));
    const admin = verified(await makePerson({ roles: ["admin"] }));
    expect(await setPaymentOffer(stranger, event.slug, offer)).toMatchObject({ ok: false, status: 403 });
    expect(await setPaymentOffer(org, event.slug, offer)).toMatchObject({ ok: true });
    expect((await paymentOnEventPage(event, null))?.offer.honorariumPence).toBe(5000);

    const ada = await confirmedPlace(event.id, "Ada Attendee");
    const ben = await confirmedPlace(event.id, "Ben Attendee");
    expect(await choicePage(stranger, event.slug)).toBe("not-eligible");
    const ownOrg = await makeOrganisation({ admin: ada });
    const otherOrg = await makeOrganisation();
    expect(await savePaymentChoice(ada, event.slug, { route: "organisation", organisationId: otherOrg.id, charity: null, lowerAmount: null })).toMatchObject({
      ok: false,
      fieldErrors: { organisationId: "Choose one of your organisations" },
    });
    expect(await savePaymentChoice(ada, event.slug, { route: "me", organisationId: null, charity: null, lowerAmount: 5000 })).toMatchObject({
      ok: false,
      fieldErrors: { lowerAmount: expect.stringContaining("less than the £50") },
    });
    expect(await savePaymentChoice(ada, event.slug, { route: "donate", organisationId: null, charity: null, lowerAmount: null })).toMatchObject({
      ok: false,
      fieldErrors: { charity: "Say which charity" },
    });
    expect(await savePaymentChoice(ada, event.slug, { route: "organisation", organisationId: ownOrg.id, charity: null, lowerAmount: 2500 })).toMatchObject({
      ok: true,
    });
    expect(await savePaymentChoice(stranger, event.slug, { route: "me", organisationId: null, charity: null, lowerAmount: null })).toMatchObject({
      ok: false,
      status: 403,
    });

    const choicesSeenBy = async (who: { id: string; emailVerifiedAt: Date | null }) => {
      const page = await paymentsPage(who, event.slug);
      return page === null || page === "forbidden"
        ? page
        : page.people.filter((p) => p.route).map((p) => `${p.name}: ${p.route} ${p.organisation} ${p.lowerAmountPence}`);
    };
    const adaChoice = `Ada Attendee: organisation ${ownOrg.name} 2500`;
    expect(await choicesSeenBy(org)).toEqual([adaChoice]);
    expect(await choicesSeenBy(payments)).toEqual([adaChoice]);
    // Another registrant, a stranger, and an admin without the payments role see no one's choice.
    expect(await choicesSeenBy(ben)).toBe("forbidden");
    expect(await choicesSeenBy(stranger)).toBe("forbidden");
    expect(await choicesSeenBy(admin)).toEqual([]);

    // Withdrawing the offer takes the choices made for it with it.
    expect(await withdrawPaymentOffer(org, event.slug)).toMatchObject({ ok: true });
    expect(await paymentOnEventPage(event, ada.id)).toBeNull();
    expect((await db.select().from(schema.paymentChoices)).filter((c) => c.eventId === event.id)).toEqual([]);
  });

  it("an offer only for marked participants is open to a registrant once an organiser marks them", async () => {
    const { event, organiser } = await makeEvent();
    const org = verified(organiser);
    expect(await setPaymentOffer(org, event.slug, { ...offer, eligibility: "marked" })).toMatchObject({ ok: true });
    const panel = await confirmedPlace(event.id, "Pat Panel");
    expect(await choicePage(panel, event.slug)).toBe("not-eligible");
    expect((await paymentOnEventPage(event, panel.id))?.eligible).toBe(false);
    expect(await markPaidParticipant(verified(await makePerson()), event.slug, panel.id, true)).toMatchObject({ ok: false, status: 403 });
    expect(await markPaidParticipant(org, event.slug, (await makePerson()).id, true)).toMatchObject({ ok: false, status: 400 });
    expect(await markPaidParticipant(org, event.slug, panel.id, true)).toMatchObject({ ok: true });
    expect((await paymentOnEventPage(event, panel.id))?.eligible).toBe(true);
    expect(await savePaymentChoice(panel, event.slug, { route: "none", organisationId: null, charity: null, lowerAmount: null })).toMatchObject({ ok: true });
    expect((await paymentOnEventPage(event, panel.id))?.chosen).toBe("none");
  });
});
