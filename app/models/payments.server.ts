import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Event, PaymentChoice, PaymentOffer } from "../../db/schema";
import { rolesOf } from "../auth/permissions.server";
import type { PaymentChoiceInput } from "../forms/events.server";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { done, FIELDS_MESSAGE, type Outcome, refuse } from "../utils/outcome";
import { sharedRead } from "../utils/request-memo.server";
import { canManageEvent, findBySlug } from "./events.server";
import { pounds } from "./payment-words";
import { activeOrganisations } from "./tasks.server";
import { mayViewEvent } from "./visibility.server";

// Paying people for taking part, part 1: what an event offers, and how each eligible person
// chooses to be paid. The offer is public (the event's page says it plainly). A choice is
// private: only its person and the event's payment approvers see it — the event's own
// organisers (not a community's facilitators, not admins as such) and people with the
// `payments` platform role. Claims, receipts, bank details, approval and the payment run
// come in part 2 (see the README's "Paying people for taking part").

type Actor = { id: string; emailVerifiedAt: Date | null };

const NOT_FOUND = "We could not find that event.";

/** May this person see the choices made for this event (its organisers, and the payments role)? */
export async function mayApprovePayments(event: Pick<Event, "id">, userId: string | null | undefined, tx: DbOrTx = db) {
  if (!userId) return false;
  // The payments role itself, not `hasRole` (which lets admins act in every role): people's
  // payment choices, and later their bank details, are for approvers alone (decision 027).
  if ((await rolesOf(userId, tx)).includes("payments")) return true;
  const [organiser] = await tx
    .select({ one: sql`1` })
    .from(schema.eventOrganisers)
    .where(and(eq(schema.eventOrganisers.eventId, event.id), eq(schema.eventOrganisers.userId, userId)));
  return !!organiser;
}

export async function offerFor(eventId: string, tx: DbOrTx = db): Promise<PaymentOffer | null> {
  if (tx === db) return sharedOffer(eventId);
  const [offer] = await tx.select().from(schema.paymentOffers).where(eq(schema.paymentOffers.eventId, eventId));
  return offer ?? null;
}

/** An event's offer, whoever asks (shared between requests while the data is unchanged). */
const sharedOffer = sharedRead("payments.offer", async (eventId: string): Promise<PaymentOffer | null> => {
  const [offer] = await db.select().from(schema.paymentOffers).where(eq(schema.paymentOffers.eventId, eventId));
  return offer ?? null;
});

/** Is this person eligible for the event's offer: a confirmed place, and marked when the offer is only for marked participants? */
async function isEligible(offer: PaymentOffer | null, eventId: string, userId: string, tx: DbOrTx = db) {
  if (!offer) return false;
  const [row] = await tx
    .select({ one: sql`1` })
    .from(schema.eventRegistrations)
    .where(
      and(eq(schema.eventRegistrations.eventId, eventId), eq(schema.eventRegistrations.userId, userId), eq(schema.eventRegistrations.status, "confirmed")),
    );
  if (!row) return false;
  if (offer.eligibility === "all_attendees") return true;
  const [marked] = await tx
    .select({ one: sql`1` })
    .from(schema.paidParticipants)
    .where(and(eq(schema.paidParticipants.eventId, eventId), eq(schema.paidParticipants.userId, userId)));
  return !!marked;
}

/** What the event page shows a person about payment: the offer, their choice, and their claim (or that they can claim now). */
export async function paymentOnEventPage(event: Pick<Event, "id">, userId: string | null) {
  const offer = await offerFor(event.id);
  if (!offer) return null;
  const eligible = userId ? await isEligible(offer, event.id, userId) : false;
  const [mine] =
    eligible && userId
      ? (
          await db.execute<{ route: PaymentChoice["route"] | null; attended: boolean | null; claim_id: string | null }>(sql`
            select (select route from payment_choices where event_id = ${event.id} and user_id = ${userId}) as route,
                   (select attended from event_registrations where event_id = ${event.id} and user_id = ${userId}) as attended,
                   (select id from payment_claims where event_id = ${event.id} and user_id = ${userId}) as claim_id`)
        ).rows
      : [];
  return { offer, eligible, chosen: mine?.route ?? null, canClaim: !!mine?.attended && !mine.claim_id, claimId: mine?.claim_id ?? null };
}

async function eventFor(actor: Actor, slug: string) {
  const event = await findBySlug(slug);
  if (!event || !(await mayViewEvent(event, actor.id))) return null;
  return event;
}

type OfferInput = {
  honorarium: number | null;
  honorariumUnit: PaymentOffer["honorariumUnit"];
  expenses: PaymentOffer["expenses"];
  eligibility: PaymentOffer["eligibility"];
  budget: number | null;
};

/** An event's organisers set (or change) what it offers. */
export async function setPaymentOffer(actor: Actor, slug: string, input: OfferInput): Promise<Outcome> {
  const event = await eventFor(actor, slug);
  if (!event) return refuse(404, NOT_FOUND);
  if (!(await canManageEvent(event, actor.id))) return refuse(403, "Only this event's organisers can offer payment for it.");
  const values = {
    honorariumPence: input.honorarium,
    honorariumUnit: input.honorariumUnit,
    expenses: input.expenses,
    eligibility: input.eligibility,
    budgetPence: input.budget,
    setBy: actor.id,
    updatedAt: new Date(),
  };
  await db
    .insert(schema.paymentOffers)
    .values({ eventId: event.id, ...values })
    .onConflictDoUpdate({ target: schema.paymentOffers.eventId, set: values });
  return done("The offer is saved: the event's page says it now.");
}

/** The organisers withdraw the offer; the choices made for it go with it (they meant nothing without it). */
export async function withdrawPaymentOffer(actor: Actor, slug: string): Promise<Outcome> {
  const event = await eventFor(actor, slug);
  if (!event) return refuse(404, NOT_FOUND);
  if (!(await canManageEvent(event, actor.id))) return refuse(403, "Only this event's organisers can withdraw its offer.");
  await db.transaction(async (tx) => {
    await tx.delete(schema.paymentChoices).where(eq(schema.paymentChoices.eventId, event.id));
    await tx.delete(schema.paymentOffers).where(eq(schema.paymentOffers.eventId, event.id));
  });
  return done("The offer is withdrawn.");
}

/** The organisers mark (or unmark) a registrant as a paid participant. */
export async function markPaidParticipant(actor: Actor, slug: string, userId: string, paid: boolean): Promise<Outcome> {
  const event = await eventFor(actor, slug);
  if (!event) return refuse(404, NOT_FOUND);
  if (!(await canManageEvent(event, actor.id))) return refuse(403, "Only this event's organisers can mark paid participants.");
  const [registered] = await db
    .select({ one: sql`1` })
    .from(schema.eventRegistrations)
    .where(
      and(eq(schema.eventRegistrations.eventId, event.id), eq(schema.eventRegistrations.userId, userId), ne(schema.eventRegistrations.status, "cancelled")),
    );
  if (!registered) return refuse(400, "That person is not registered for this event.");
  if (paid) await db.insert(schema.paidParticipants).values({ eventId: event.id, userId, markedBy: actor.id }).onConflictDoNothing();
  else await db.delete(schema.paidParticipants).where(and(eq(schema.paidParticipants.eventId, event.id), eq(schema.paidParticipants.userId, userId)));
  return done(paid ? "Marked as a paid participant." : "No longer marked as a paid participant.");
}

/** The choice page: the offer, the person's choice so far and their organisations; null when the page is not theirs. */
export async function choicePage(actor: Actor, slug: string) {
  const event = await eventFor(actor, slug);
  if (!event) return null;
  const offer = await offerFor(event.id);
  if (!offer || !(await isEligible(offer, event.id, actor.id))) return "not-eligible" as const;
  const [[choice], orgs] = await Promise.all([
    db
      .select()
      .from(schema.paymentChoices)
      .where(and(eq(schema.paymentChoices.eventId, event.id), eq(schema.paymentChoices.userId, actor.id))),
    activeOrganisations(actor.id),
  ]);
  return { event, offer, choice: choice ?? null, orgs: orgs.map((o) => ({ id: o.id, name: o.name })) };
}

/** An eligible person says, privately, how they would like to be paid (or not). */
export async function savePaymentChoice(actor: Actor, slug: string, input: PaymentChoiceInput): Promise<Outcome> {
  const page = await choicePage(actor, slug);
  if (!page) return refuse(404, NOT_FOUND);
  if (page === "not-eligible") return refuse(403, "This event's payment is for the people it names: the organisers can tell you if that includes you.");
  const fieldErrors: Record<string, string> = {};
  if (input.route === "organisation" && !page.orgs.some((o) => o.id === input.organisationId)) fieldErrors.organisationId = "Choose one of your organisations";
  if (input.route === "donate" && !input.charity) fieldErrors.charity = "Say which charity";
  const fee = page.offer.honorariumPence;
  if (input.lowerAmount !== null && (input.route === "none" || !fee)) fieldErrors.lowerAmount = "There is no honorarium to lower for this choice";
  else if (input.lowerAmount !== null && fee && input.lowerAmount >= fee)
    fieldErrors.lowerAmount = `Enter less than the ${pounds(fee)} offered, or leave it empty`;
  if (Object.keys(fieldErrors).length) return refuse(400, FIELDS_MESSAGE, { fieldErrors });
  const values = {
    route: input.route,
    organisationId: input.route === "organisation" ? input.organisationId : null,
    charity: input.route === "donate" ? input.charity : null,
    lowerAmountPence: input.route === "none" ? null : input.lowerAmount,
    updatedAt: new Date(),
  };
  await db
    .insert(schema.paymentChoices)
    .values({ eventId: page.event.id, userId: actor.id, ...values })
    .onConflictDoUpdate({ target: [schema.paymentChoices.eventId, schema.paymentChoices.userId], set: values });
  return done("Your choice is saved. Only you and the people who approve payments for this event can see it.");
}

/** The organisers' payments page: the offer (theirs to change) and, for approvers, each eligible person's choice. */
export async function paymentsPage(actor: Actor, slug: string) {
  const event = await eventFor(actor, slug);
  if (!event) return null;
  const [manage, approve] = await Promise.all([canManageEvent(event, actor.id), mayApprovePayments(event, actor.id)]);
  if (!manage && !approve) return "forbidden" as const;
  const offer = await offerFor(event.id);
  const people = approve
    ? await db
        .select({
          userId: schema.users.id,
          name: schema.users.name,
          status: schema.eventRegistrations.status,
          marked: sql<boolean>`exists (select 1 from ${schema.paidParticipants} pp where pp.event_id = ${event.id} and pp.user_id = ${schema.users.id})`,
          route: schema.paymentChoices.route,
          organisation: schema.organisations.name,
          charity: schema.paymentChoices.charity,
          lowerAmountPence: schema.paymentChoices.lowerAmountPence,
          attended: schema.eventRegistrations.attended,
          claimId: sql<string | null>`(select c.id from payment_claims c where c.event_id = ${event.id} and c.user_id = ${schema.users.id})`,
          claimStatus: sql<string | null>`(select c.status from payment_claims c where c.event_id = ${event.id} and c.user_id = ${schema.users.id})`,
        })
        .from(schema.eventRegistrations)
        .innerJoin(schema.users, eq(schema.users.id, schema.eventRegistrations.userId))
        .leftJoin(
          schema.paymentChoices,
          and(eq(schema.paymentChoices.eventId, schema.eventRegistrations.eventId), eq(schema.paymentChoices.userId, schema.eventRegistrations.userId)),
        )
        .leftJoin(schema.organisations, eq(schema.organisations.id, schema.paymentChoices.organisationId))
        .where(and(eq(schema.eventRegistrations.eventId, event.id), eq(schema.eventRegistrations.status, "confirmed")))
        .orderBy(asc(schema.users.name))
    : [];
  return { event, offer, people, can: { manage, approve } };
}

/** A person's choices, for their export. */
export async function paymentChoicesOf(userId: string) {
  return db
    .select({
      event: schema.events.title,
      route: schema.paymentChoices.route,
      organisation: schema.organisations.name,
      charity: schema.paymentChoices.charity,
      lowerAmountPence: schema.paymentChoices.lowerAmountPence,
      updatedAt: schema.paymentChoices.updatedAt,
    })
    .from(schema.paymentChoices)
    .innerJoin(schema.events, eq(schema.events.id, schema.paymentChoices.eventId))
    .leftJoin(schema.organisations, eq(schema.organisations.id, schema.paymentChoices.organisationId))
    .where(eq(schema.paymentChoices.userId, userId));
}
