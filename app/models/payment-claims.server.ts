import { and, asc, desc, eq, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import type { EventKind, PaymentClaim } from "../../db/schema";
import { verifyPassword } from "../auth/password.server";
import { rolesOf } from "../auth/permissions.server";
import { enqueueEmail, notifyOutbox } from "../email/outbox.server";
import { bankDetailsMessage } from "../email/templates/payments";
import type { BankInput, ClaimInput } from "../forms/payments.server";
import { newId } from "../utils/crypto.server";
import { type DbOrTx, db, schema, type Transaction } from "../utils/db.server";
import { env } from "../utils/env.server";
import { afterCommit, lockRow, transact } from "../utils/locks.server";
import { log } from "../utils/log.server";
import { done, FIELDS_MESSAGE, type Outcome, refuse } from "../utils/outcome";
import { checkLimit, consumeLimit } from "../utils/rate-limit.server";
import { currentKeyId, type Place, SealError, seal, sealedKeyId, sealingAvailable, unseal, unsealText } from "../utils/sealed.server";
import { suppressRow } from "./disclosure";
import { findBySlug } from "./events.server";
import { appUrlForMail, notify } from "./notifications.server";
import { CLAIM_STATUS_WORDS, EXPENSE_WORDS, pounds, sortCodeWords } from "./payment-words";
import { mayApprovePayments, offerFor } from "./payments.server";
import { mayViewEvent } from "./visibility.server";

// Payment claims (paying people, part 2; decision 028). Once an organiser marks someone as
// having attended an event that offers payment, that person claims, signed in: the
// honorarium as offered (or the lower amount they asked for) and the expenses the offer
// covers, with receipts. Approvers — the event's organisers and the `payments` role, never
// the claimant — approve, query or reject; over PAYMENT_TWO_APPROVER_PENCE two different
// people must approve. Every decision takes the claim's row lock (guard "claim-decision"),
// so two approvers at once approve it once and it is paid once. Bank details and receipts
// are sealed (app/utils/sealed.server.ts); every view of either is in the claim's audit log.

type Actor = { id: string };

/** How long after an event its attendees can claim. */
export const CLAIM_WINDOW_DAYS = 90;
/** Receipts: at most this many bytes each (the receipt route's body limit is a little more). */
export const RECEIPT_MAX_BYTES = 5 * 1024 * 1024;
export const RECEIPTS_PER_CLAIM = 10;
/** Bank details are deleted this long after payment; the rest of the record after six years. */
export const BANK_DETAILS_KEEP_DAYS = 30;
export const RECORD_KEEP_YEARS = 6;
export const RECEIPT_TYPES: Record<string, string> = {
  "image/jpeg": "a photo (JPEG)",
  "image/png": "an image (PNG)",
  "image/webp": "an image (WebP)",
  "image/heic": "a photo (HEIC)",
  "image/heif": "a photo (HEIF)",
  "application/pdf": "a PDF",
};

const NOT_FOUND = "We could not find that claim.";
const OFF = "Payment claims are switched off on this server until its payment key is set (PAYMENT_KEYS). Please tell Convene's team.";
const DAY = 86_400_000;

const bankPlace = (claimId: string): Place => ({ table: "payment_claims", column: "bank_sealed", rowId: claimId });
const receiptPlace = (receiptId: string): Place => ({ table: "payment_receipts", column: "sealed", rowId: receiptId });

/** The honorarium a person claims: what they asked for if lower, nothing for "no thanks". */
const honorariumFor = (offerPence: number | null, choice: { route: string; lowerAmountPence: number | null } | null) =>
  !offerPence || !choice || choice.route === "none" ? 0 : Math.min(offerPence, choice.lowerAmountPence ?? offerPence);

export const needsTwoApprovers = (claim: Pick<PaymentClaim, "honorariumPence" | "expensesPence">) =>
  claim.honorariumPence + claim.expensesPence > env().PAYMENT_TWO_APPROVER_PENCE;

async function isPaymentsTeam(userId: string, tx: DbOrTx = db) {
  return (await rolesOf(userId, tx)).includes("payments");
}

/** May this person approve (and see) this claim: the payments role, or an organiser of its event — never its claimant. */
async function mayApprove(claim: Pick<PaymentClaim, "eventId" | "userId">, userId: string, tx: DbOrTx = db) {
  if (claim.userId === userId) return false;
  if (!claim.eventId) return isPaymentsTeam(userId, tx);
  return mayApprovePayments({ id: claim.eventId }, userId, tx);
}

/** Whom a claim waiting for approval concerns: the payments team and the event's organisers. */
const approversOf = (eventId: string | null) => sql`
  select user_id from user_roles where role = 'payments'
  union select user_id from event_organisers where event_id = ${eventId}`;

// ---------------------------------------------------------------- making a claim

type Standing =
  | { ok: false; status: 403 | 404 | 409; message: string; claimId?: string }
  | {
      ok: true;
      event: { id: string; slug: string; title: string; kind: EventKind; endsAt: Date };
      offer: NonNullable<Awaited<ReturnType<typeof offerFor>>>;
      choice: { route: PaymentClaim["route"]; lowerAmountPence: number | null; organisation: string | null; charity: string | null } | null;
      honorariumPence: number;
      closesAt: Date;
    };

/** Can this person claim for this event now, and what: attended, paid by the offer, within the window, not claimed yet. */
export async function claimStanding(actor: Actor, slug: string, now = new Date()): Promise<Standing> {
  const event = await findBySlug(slug);
  if (!event || !(await mayViewEvent(event, actor.id))) return { ok: false, status: 404, message: "We could not find that event." };
  const [[row], offer] = await Promise.all([
    db
      .execute<{ attended: boolean | null; marked: boolean; claim_id: string | null }>(sql`
      select r.attended,
             exists (select 1 from paid_participants pp where pp.event_id = r.event_id and pp.user_id = r.user_id) as marked,
             (select c.id from payment_claims c where c.event_id = r.event_id and c.user_id = r.user_id) as claim_id
        from event_registrations r where r.event_id = ${event.id} and r.user_id = ${actor.id} and r.status = 'confirmed'`)
      .then((r) => r.rows),
    offerFor(event.id),
  ]);
  if (row?.claim_id) return { ok: false, status: 409, message: "You have already claimed for this event.", claimId: row.claim_id };
  if (!offer) return { ok: false, status: 403, message: "This event does not offer payment for taking part." };
  if (row?.attended !== true)
    return { ok: false, status: 403, message: "You can claim once the organisers have marked that you took part. If you did, please ask them." };
  if (offer.eligibility === "marked" && !row.marked)
    return { ok: false, status: 403, message: "This event's payment is for the people it names: the organisers can tell you if that includes you." };
  const closesAt = new Date(event.endsAt.getTime() + CLAIM_WINDOW_DAYS * DAY);
  if (now > closesAt) return { ok: false, status: 403, message: `Claims for this event closed ${CLAIM_WINDOW_DAYS} days after it. Please ask its organisers.` };
  if (!sealingAvailable()) return { ok: false, status: 403, message: OFF };
  const [choice] = await db
    .select({
      route: schema.paymentChoices.route,
      lowerAmountPence: schema.paymentChoices.lowerAmountPence,
      organisation: schema.organisations.name,
      charity: schema.paymentChoices.charity,
    })
    .from(schema.paymentChoices)
    .leftJoin(schema.organisations, eq(schema.organisations.id, schema.paymentChoices.organisationId))
    .where(and(eq(schema.paymentChoices.eventId, event.id), eq(schema.paymentChoices.userId, actor.id)));
  return {
    ok: true,
    event: { id: event.id, slug: event.slug, title: event.title, kind: event.kind, endsAt: event.endsAt },
    offer,
    choice: choice ?? null,
    honorariumPence: honorariumFor(offer.honorariumPence, choice ?? null),
    closesAt,
  };
}

/**
 * Bank details are needed when money goes to the person: the honorarium when they chose
 * "pay me", and their costs whatever they chose for the honorarium (a voucher, a charity, or
 * no thanks), except when their organisation is paid instead (it usually bore the costs).
 */
export const needsBank = (route: string | undefined, honorariumPence: number, expensesPence: number) =>
  (route === "me" && honorariumPence + expensesPence > 0) || (route !== "organisation" && expensesPence > 0);
/** Could bank details be asked for at all with this choice (the claim form shows the fields)? */
export const mayNeedBank = (route: string | undefined) => route !== "organisation";

function bankErrors(bank: BankInput | null): Record<string, string> {
  const e: Record<string, string> = {};
  if (!bank?.accountName) e.accountName = "Enter the name on the account";
  if (!bank?.sortCode) e.sortCode = "Enter the sort code, like 12-34-56";
  if (!bank?.accountNumber) e.accountNumber = "Enter the account number (8 digits)";
  return e;
}

const sealBank = (claimId: string, bank: BankInput) =>
  seal(JSON.stringify({ name: bank.accountName, sortCode: bank.sortCode, account: bank.accountNumber }), bankPlace(claimId));

/** A person claims for an event they took part in. */
export async function submitClaim(actor: Actor, slug: string, input: ClaimInput, now = new Date()): Promise<Outcome<{ claimId: string }>> {
  const standing = await claimStanding(actor, slug, now);
  if (!standing.ok) return standing.status === 409 ? refuse(409, standing.message) : refuse(standing.status, standing.message);
  const { event, offer, choice } = standing;
  if (!choice) return refuse(409, "First say how you would like to be paid (or that you would rather not be): the link is on this page.");
  const fieldErrors: Record<string, string> = {};
  for (const line of input.expenses) {
    if (!offer.expenses.includes(line.kind)) fieldErrors[`${line.kind}Amount`] = `This event does not pay ${EXPENSE_WORDS[line.kind]} costs`;
    else if (!line.description) fieldErrors[`${line.kind}Note`] = "Say briefly what it was for";
  }
  const expensesPence = input.expenses.reduce((s, l) => s + l.amountPence, 0);
  const total = standing.honorariumPence + expensesPence;
  if (total === 0) fieldErrors[`${offer.expenses[0] ?? "travel"}Amount`] ??= "There is nothing to claim yet: enter your costs";
  const bankNeeded = needsBank(choice.route, standing.honorariumPence, expensesPence);
  const bank = bankNeeded ? input.bank : null;
  if (bankNeeded) Object.assign(fieldErrors, bankErrors(input.bank));
  if (Object.keys(fieldErrors).length) return refuse(400, FIELDS_MESSAGE, { fieldErrors });
  const [me] = await db.select({ name: schema.users.name, email: schema.users.email }).from(schema.users).where(eq(schema.users.id, actor.id));
  const claimId = newId();
  const result = await transact(async (tx) => {
    const inserted = await tx
      .insert(schema.paymentClaims)
      .values({
        id: claimId,
        eventId: event.id,
        userId: actor.id,
        eventTitle: event.title,
        eventKind: event.kind,
        attendedOn: event.endsAt,
        payeeName: me.name,
        route: choice.route,
        organisationName: choice.route === "organisation" ? choice.organisation : null,
        charity: choice.route === "donate" ? choice.charity : null,
        honorariumPence: standing.honorariumPence,
        expensesPence,
        bankSealed: bank ? sealBank(claimId, bank) : null,
        bankLast2: bank?.accountNumber?.slice(-2) ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: schema.paymentClaims.id });
    if (!inserted.length) return refuse(409, "You have already claimed for this event.");
    if (input.expenses.length) await tx.insert(schema.paymentClaimExpenses).values(input.expenses.map((l) => ({ claimId, ...l })));
    await step(tx, claimId, "submitted", actor.id, null);
    if (bank) {
      await audit(tx, claimId, actor.id, "bank_details_entered", `account ending ${bank.accountNumber?.slice(-2)}`);
      await enqueueEmail(
        tx,
        me.email,
        bankDetailsMessage({ name: me.name, event: event.title, last2: bank.accountNumber!.slice(-2), url: claimUrl(claimId), changed: false }),
      );
      afterCommit(tx, () => notifyOutbox());
    }
    await tellApprovers(tx, { id: claimId, eventId: event.id, eventTitle: event.title }, actor.id, `${me.name} claimed ${pounds(total)}.`);
    return done("Your claim is made. We will tell you at each step, here and by email.", { claimId });
  });
  return result;
}

const claimUrl = (id: string) => `${appUrlForMail()}/claims/${id}`;

async function step(tx: DbOrTx, claimId: string, kind: (typeof schema.CLAIM_STEPS)[number], byId: string | null, message: string | null) {
  await tx.insert(schema.paymentClaimSteps).values({ id: newId(), claimId, step: kind, byId, message });
}

async function audit(tx: DbOrTx, claimId: string, actorId: string | null, action: (typeof schema.PAYMENT_AUDIT_ACTIONS)[number], detail: string | null) {
  await tx.insert(schema.paymentAudit).values({ claimId, actorId, action, detail });
}

async function tellApprovers(tx: DbOrTx, claim: { id: string; eventId: string | null; eventTitle: string }, except: string, text: string) {
  await notify(
    tx,
    approversOf(claim.eventId),
    { kind: "payment_queue", subjectKey: `claim-wait:${claim.id}`, spaceKind: "event", spaceTitle: claim.eventTitle, text, path: `/claims/${claim.id}` },
    except,
  );
}

async function tellClaimant(tx: DbOrTx, claim: Pick<PaymentClaim, "id" | "userId" | "eventTitle">, text: string) {
  if (!claim.userId) return;
  await notify(tx, sql`select ${claim.userId}::text as user_id`, {
    kind: "my_payments",
    subjectKey: `claim:${claim.id}`,
    spaceKind: "event",
    spaceTitle: claim.eventTitle,
    text,
    path: `/claims/${claim.id}`,
  });
}

// ---------------------------------------------------------------- a claim's page

async function readClaim(id: string, tx: DbOrTx = db) {
  if (typeof id !== "string" || id.length > 100) return null;
  const [claim] = await tx.select().from(schema.paymentClaims).where(eq(schema.paymentClaims.id, id));
  return claim ?? null;
}

/** Who is looking at a claim: its claimant, an approver, or neither (then it does not exist for them). */
async function standingOn(claim: PaymentClaim, actor: Actor, tx: DbOrTx = db) {
  const own = claim.userId === actor.id;
  const approver = !own && (await mayApprove(claim, actor.id, tx));
  return { own, approver };
}

/** What each person may do with a claim: computed once, read by the page and by each action. */
export function claimCapabilities(
  claim: Pick<PaymentClaim, "status" | "route" | "honorariumPence" | "expensesPence">,
  who: { own: boolean; approver: boolean; approvedByMe: boolean },
) {
  const open = claim.status === "submitted" || claim.status === "queried";
  return {
    addReceipt: who.own && open,
    changeBank: who.own && open && needsBank(claim.route, claim.honorariumPence, claim.expensesPence),
    answer: who.own && claim.status === "queried",
    withdraw: who.own && open,
    approve: who.approver && claim.status === "submitted" && !who.approvedByMe,
    query: who.approver && claim.status === "submitted",
    reject: who.approver && open,
    markPaid: who.approver && claim.status === "approved",
  };
}
export type ClaimCapabilities = ReturnType<typeof claimCapabilities>;

export async function claimPage(actor: Actor, id: string) {
  const claim = await readClaim(id);
  if (!claim) return null;
  const who = await standingOn(claim, actor);
  if (!who.own && !who.approver) return null;
  const [expenses, receipts, approvals, steps, log, event, spent] = await Promise.all([
    db.select().from(schema.paymentClaimExpenses).where(eq(schema.paymentClaimExpenses.claimId, claim.id)),
    db
      .select({
        id: schema.paymentReceipts.id,
        kind: schema.paymentReceipts.kind,
        filename: schema.paymentReceipts.filename,
        contentType: schema.paymentReceipts.contentType,
        bytes: schema.paymentReceipts.bytes,
        createdAt: schema.paymentReceipts.createdAt,
      })
      .from(schema.paymentReceipts)
      .where(eq(schema.paymentReceipts.claimId, claim.id))
      .orderBy(asc(schema.paymentReceipts.createdAt)),
    db.select().from(schema.paymentApprovals).where(eq(schema.paymentApprovals.claimId, claim.id)),
    db
      .select({ step: schema.paymentClaimSteps.step, message: schema.paymentClaimSteps.message, at: schema.paymentClaimSteps.at, by: schema.users.name })
      .from(schema.paymentClaimSteps)
      .leftJoin(schema.users, eq(schema.users.id, schema.paymentClaimSteps.byId))
      .where(eq(schema.paymentClaimSteps.claimId, claim.id))
      .orderBy(asc(schema.paymentClaimSteps.at), asc(schema.paymentClaimSteps.id)),
    db
      .select({ action: schema.paymentAudit.action, detail: schema.paymentAudit.detail, at: schema.paymentAudit.at, by: schema.users.name })
      .from(schema.paymentAudit)
      .leftJoin(schema.users, eq(schema.users.id, schema.paymentAudit.actorId))
      .where(eq(schema.paymentAudit.claimId, claim.id))
      .orderBy(desc(schema.paymentAudit.at)),
    claim.eventId ? db.select({ slug: schema.events.slug }).from(schema.events).where(eq(schema.events.id, claim.eventId)) : Promise.resolve([]),
    who.approver && claim.eventId ? budgetUse(claim.eventId) : Promise.resolve(null),
  ]);
  const approvedByMe = approvals.some((a) => a.approverId === actor.id);
  return {
    claim,
    expenses,
    receipts,
    approvals: approvals.length,
    approvalsNeeded: needsTwoApprovers(claim) ? 2 : 1,
    steps,
    log,
    eventSlug: event[0]?.slug ?? null,
    budget: spent,
    who,
    approvedByMe,
    can: claimCapabilities(claim, { ...who, approvedByMe }),
  };
}

/** An event's budget and what its approved, paid and waiting claims come to. */
async function budgetUse(eventId: string, tx: DbOrTx = db) {
  const { rows } = await tx.execute<{ budget: number | null; committed: string; waiting: string }>(sql`
    select o.budget_pence as budget,
      coalesce((select sum(c.honorarium_pence + c.expenses_pence) from payment_claims c where c.event_id = o.event_id and c.status in ('approved', 'paid')), 0) as committed,
      coalesce((select sum(c.honorarium_pence + c.expenses_pence) from payment_claims c where c.event_id = o.event_id and c.status in ('submitted', 'queried')), 0) as waiting
    from payment_offers o where o.event_id = ${eventId}`);
  const r = rows[0];
  return r ? { budget: r.budget, committed: Number(r.committed), waiting: Number(r.waiting) } : null;
}

// ---------------------------------------------------------------- deciding

type Decision = "approve" | "query" | "reject" | "answer" | "withdraw" | "edit" | "paid";

/**
 * Every change of a claim's state, under its row lock (guard "claim-decision"): the state is
 * read, the capability checked and the change made by one transaction at a time, so two
 * approvers at once approve once, and a claim is paid once.
 */
async function decide(
  actor: Actor,
  id: string,
  decision: Decision,
  work: (tx: Transaction, claim: PaymentClaim, can: ClaimCapabilities) => Promise<Outcome>,
): Promise<Outcome> {
  const claim0 = await readClaim(id);
  if (!claim0) return refuse(404, NOT_FOUND);
  return transact(async (tx) => {
    const claim = await lockRow(tx.select().from(schema.paymentClaims).where(eq(schema.paymentClaims.id, claim0.id)), "claim-decision");
    if (!claim) return refuse(404, NOT_FOUND);
    const who = await standingOn(claim, actor, tx);
    if (!who.own && !who.approver) return refuse(404, NOT_FOUND);
    const [mine] = await tx
      .select({ one: sql`1` })
      .from(schema.paymentApprovals)
      .where(and(eq(schema.paymentApprovals.claimId, claim.id), eq(schema.paymentApprovals.approverId, actor.id)));
    const can = claimCapabilities(claim, { ...who, approvedByMe: !!mine });
    const allowed = {
      approve: can.approve,
      query: can.query,
      reject: can.reject,
      answer: can.answer,
      withdraw: can.withdraw,
      edit: can.withdraw,
      paid: can.markPaid,
    }[decision];
    if (!allowed) return refuse(409, whyNot(claim, decision, who, !!mine));
    return work(tx, claim, can);
  });
}

function whyNot(claim: PaymentClaim, decision: Decision, who: { own: boolean; approver: boolean }, approvedByMe: boolean) {
  if (who.own && ["approve", "query", "reject", "paid"].includes(decision)) return "Nobody approves or pays their own claim.";
  if (decision === "approve" && approvedByMe) return "You have approved this claim already: it needs a second, different approver.";
  if (decision === "paid" && claim.status === "paid") return "This claim is already marked paid.";
  return `This claim is now “${CLAIM_STATUS_WORDS[claim.status]}”, so that cannot be done. Reload the page to see where it stands.`;
}

const mark = (tx: DbOrTx, id: string, set: Partial<typeof schema.paymentClaims.$inferInsert>) =>
  tx
    .update(schema.paymentClaims)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(schema.paymentClaims.id, id));

export function approveClaim(actor: Actor, id: string) {
  return decide(actor, id, "approve", async (tx, claim) => {
    await tx.insert(schema.paymentApprovals).values({ claimId: claim.id, approverId: actor.id });
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(schema.paymentApprovals).where(eq(schema.paymentApprovals.claimId, claim.id));
    const needed = needsTwoApprovers(claim) ? 2 : 1;
    if (n < needed) {
      await step(tx, claim.id, "approval", actor.id, null);
      await tellApprovers(tx, claim, actor.id, `A claim of ${pounds(claim.honorariumPence + claim.expensesPence)} needs a second approver.`);
      return done(`Your approval is recorded. This claim is over ${pounds(env().PAYMENT_TWO_APPROVER_PENCE)}, so it needs a second, different approver.`);
    }
    await mark(tx, claim.id, { status: "approved", decidedAt: new Date() });
    await step(tx, claim.id, "approved", actor.id, null);
    await tellClaimant(tx, claim, `Your claim of ${pounds(claim.honorariumPence + claim.expensesPence)} is approved: it will be paid soon.`);
    return done("The claim is approved. It is in the next payment run.");
  });
}

export function queryClaim(actor: Actor, id: string, message: string) {
  return decide(actor, id, "query", async (tx, claim) => {
    await mark(tx, claim.id, { status: "queried" });
    await tx.delete(schema.paymentApprovals).where(eq(schema.paymentApprovals.claimId, claim.id));
    await step(tx, claim.id, "queried", actor.id, message);
    await tellClaimant(tx, claim, "There is a question about your claim: please answer it on the claim's page.");
    return done("Your question is sent to the claimant.");
  });
}

export function rejectClaim(actor: Actor, id: string, reason: string) {
  return decide(actor, id, "reject", async (tx, claim) => {
    await mark(tx, claim.id, { status: "rejected", decidedAt: new Date() });
    await step(tx, claim.id, "rejected", actor.id, reason);
    await tellClaimant(tx, claim, "Your claim was not approved: the reason is on the claim's page.");
    return done("The claim is marked not approved, and the claimant told why.");
  });
}

export function answerQuery(actor: Actor, id: string, message: string) {
  return decide(actor, id, "answer", async (tx, claim) => {
    await mark(tx, claim.id, { status: "submitted", waitingSince: new Date() });
    await step(tx, claim.id, "answered", actor.id, message);
    await tellApprovers(tx, claim, actor.id, "A claimant answered your question.");
    return done("Your answer is sent. The claim waits for approval again.");
  });
}

export function withdrawClaim(actor: Actor, id: string) {
  return decide(actor, id, "withdraw", async (tx, claim) => {
    await mark(tx, claim.id, { status: "withdrawn", decidedAt: new Date(), bankSealed: null, bankDeletedAt: claim.bankSealed ? new Date() : null });
    await step(tx, claim.id, "withdrawn", actor.id, null);
    return done("Your claim is withdrawn, and any bank details you gave with it deleted.");
  });
}

const PAID_WORDS: Record<string, string> = {
  bank_transfer: "by bank transfer",
  voucher: "as a voucher",
  to_organisation: "to your organisation",
  donation: "to the charity you chose",
  other: "",
};

export function markClaimPaid(
  actor: Actor,
  id: string,
  input: { method: PaymentClaim["paidMethod"] & string; reference: string | null; paidOn: string | null },
) {
  return decide(actor, id, "paid", async (tx, claim) => {
    const paidAt = input.paidOn ? new Date(`${input.paidOn}T12:00:00Z`) : new Date();
    if (paidAt.getTime() > Date.now() + DAY) return refuse(400, FIELDS_MESSAGE, { fieldErrors: { paidOn: "The date it was paid cannot be in the future" } });
    if (paidAt < claim.attendedOn && input.paidOn)
      return refuse(400, FIELDS_MESSAGE, { fieldErrors: { paidOn: "The date it was paid cannot be before the event" } });
    await mark(tx, claim.id, { status: "paid", paidAt, paidMethod: input.method, paidReference: input.reference });
    await step(tx, claim.id, "paid", actor.id, input.reference ? `Reference: ${input.reference}` : null);
    await tellClaimant(
      tx,
      claim,
      `Your claim of ${pounds(claim.honorariumPence + claim.expensesPence)} is paid ${PAID_WORDS[input.method]}.`.replace(" .", "."),
    );
    return done("The claim is marked paid, and the claimant told.");
  });
}

/** The claimant changes their bank details (before the claim is decided); they are told by email. */
export async function changeBankDetails(actor: Actor, id: string, bank: BankInput): Promise<Outcome> {
  const fieldErrors = bankErrors(bank);
  if (Object.keys(fieldErrors).length) return refuse(400, FIELDS_MESSAGE, { fieldErrors });
  if (!sealingAvailable()) return refuse(403, OFF);
  const result = await decide(actor, id, "edit", async (tx, claim, can) => {
    if (!can.changeBank) return refuse(409, "This claim pays nothing to you directly, so it needs no bank details.");
    const [me] = await tx.select({ name: schema.users.name, email: schema.users.email }).from(schema.users).where(eq(schema.users.id, actor.id));
    const last2 = bank.accountNumber!.slice(-2);
    await mark(tx, claim.id, { bankSealed: sealBank(claim.id, bank), bankLast2: last2, bankDeletedAt: null });
    await step(tx, claim.id, "bank_details", actor.id, null);
    await audit(tx, claim.id, actor.id, claim.bankSealed ? "bank_details_changed" : "bank_details_entered", `account ending ${last2}`);
    await enqueueEmail(
      tx,
      me.email,
      bankDetailsMessage({ name: me.name, event: claim.eventTitle, last2, url: claimUrl(claim.id), changed: !!claim.bankSealed }),
    );
    afterCommit(tx, () => notifyOutbox());
    return done("Your bank details are saved. We have emailed you to confirm.");
  });
  return result;
}

// ---------------------------------------------------------------- receipts

/** A filename as people see it: no path, no control characters, at most 100 characters. */
export function cleanFilename(name: string) {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, "").trim();
  return (clean || "receipt").slice(-100);
}

/** Adds a receipt (an image or a PDF, by its content) to the claimant's open claim. */
export async function addReceipt(
  actor: Actor,
  id: string,
  file: { name: string; bytes: Buffer } | null,
  kind: (typeof schema.EXPENSE_KINDS)[number] | null,
): Promise<Outcome> {
  if (!file || file.bytes.length === 0) return refuse(400, FIELDS_MESSAGE, { fieldErrors: { receipt: "Choose a photo or PDF of the receipt" } });
  if (file.bytes.length > RECEIPT_MAX_BYTES)
    return refuse(400, FIELDS_MESSAGE, { fieldErrors: { receipt: "That file is over 5 MB: please send a smaller photo or PDF" } });
  const type = await fileTypeFromBuffer(file.bytes).catch(() => undefined);
  if (!type || !(type.mime in RECEIPT_TYPES))
    return refuse(400, FIELDS_MESSAGE, {
      fieldErrors: { receipt: "That file is not a photo or a PDF. Please send a JPEG, PNG, WebP or HEIC photo, or a PDF." },
    });
  if (!sealingAvailable()) return refuse(403, OFF);
  return decide(actor, id, "edit", async (tx, claim, can) => {
    if (!can.addReceipt) return refuse(409, "Receipts can be added while a claim waits for approval.");
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(schema.paymentReceipts).where(eq(schema.paymentReceipts.claimId, claim.id));
    if (n >= RECEIPTS_PER_CLAIM) return refuse(409, `A claim can have at most ${RECEIPTS_PER_CLAIM} receipts. Please put several on one page or PDF.`);
    const receiptId = newId();
    await tx.insert(schema.paymentReceipts).values({
      id: receiptId,
      claimId: claim.id,
      kind,
      filename: cleanFilename(file.name),
      contentType: type.mime,
      bytes: file.bytes.length,
      sealed: seal(file.bytes, receiptPlace(receiptId)),
    });
    await step(tx, claim.id, "receipt_added", actor.id, null);
    return done("The receipt is added.");
  });
}

/** A receipt's bytes for its claimant or an approver; the view is written to the claim's audit log. */
export async function openReceipt(actor: Actor, claimId: string, receiptId: string) {
  const claim = await readClaim(claimId);
  if (!claim || typeof receiptId !== "string" || receiptId.length > 100) return null;
  const who = await standingOn(claim, actor);
  if (!who.own && !who.approver) return null;
  const [receipt] = await db
    .select()
    .from(schema.paymentReceipts)
    .where(and(eq(schema.paymentReceipts.id, receiptId), eq(schema.paymentReceipts.claimId, claim.id)));
  if (!receipt) return null;
  const bytes = unseal(receipt.sealed, receiptPlace(receipt.id));
  await audit(db, claim.id, actor.id, "receipt_viewed", receipt.filename);
  return { filename: receipt.filename, contentType: receipt.contentType, bytes };
}

// ---------------------------------------------------------------- the approvers' queue

/** Claims this person may approve, oldest waiting first; the payments team sees every event's. */
export async function approverQueue(actor: Actor) {
  const team = await isPaymentsTeam(actor.id);
  const scope = team ? sql`true` : sql`c.event_id in (select event_id from event_organisers where user_id = ${actor.id})`;
  const { rows } = await db.execute<{
    id: string;
    event_title: string;
    payee_name: string;
    route: PaymentClaim["route"];
    status: PaymentClaim["status"];
    total: number;
    waiting_since: Date | string;
    approvals: number;
    approved_by_me: boolean;
    over_budget: boolean;
  }>(sql`
    select c.id, c.event_title, c.payee_name, c.route, c.status, c.honorarium_pence + c.expenses_pence as total, c.waiting_since,
      (select count(*)::int from payment_approvals a where a.claim_id = c.id) as approvals,
      exists (select 1 from payment_approvals a where a.claim_id = c.id and a.approver_id = ${actor.id}) as approved_by_me,
      coalesce(o.budget_pence < (select sum(x.honorarium_pence + x.expenses_pence) from payment_claims x
        where x.event_id = c.event_id and x.status in ('approved', 'paid', 'submitted', 'queried') and x.waiting_since <= c.waiting_since), false) as over_budget
    from payment_claims c left join payment_offers o on o.event_id = c.event_id
    where c.status in ('submitted', 'queried', 'approved') and c.user_id is distinct from ${actor.id} and ${scope}
    order by case c.status when 'approved' then 1 else 0 end, c.waiting_since asc
    limit 500`);
  const threshold = env().PAYMENT_TWO_APPROVER_PENCE;
  return {
    team,
    claims: rows.map((r) => ({ ...r, waiting_since: new Date(r.waiting_since), needed: Number(r.total) > threshold ? 2 : 1, total: Number(r.total) })),
  };
}

/** Is this person an approver of anything (the payments team, or an organiser of an event that offers payment)? */
export async function approvesAnything(userId: string) {
  if (await isPaymentsTeam(userId)) return true;
  const { rows } = await db.execute(
    sql`select 1 from event_organisers eo join payment_offers o on o.event_id = eo.event_id where eo.user_id = ${userId} limit 1`,
  );
  return rows.length > 0;
}

// ---------------------------------------------------------------- the payment run

const csvCell = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The approved, unpaid claims this approver may see, as CSV for a finance system, with full
 * bank details: only after the approver's password (throttled like every password check),
 * and each claim's audit log records the export.
 */
export async function paymentRun(actor: Actor, password: string): Promise<Outcome<{ csv: string; count: number }>> {
  const [me] = await db.select().from(schema.users).where(eq(schema.users.id, actor.id));
  if (!me) return refuse(404, "Account not found");
  const paused = await checkLimit("password_check", me.id);
  if (!paused.ok) return refuse(429, FIELDS_MESSAGE, { fieldErrors: { password: paused.message }, retryAfterSeconds: paused.retryAfterSeconds });
  if (!(await verifyPassword(me.passwordHash, password))) {
    await consumeLimit("password_check", me.id);
    return refuse(400, FIELDS_MESSAGE, { fieldErrors: { password: "That is not your password" } });
  }
  if (!sealingAvailable()) return refuse(403, OFF);
  const team = await isPaymentsTeam(me.id);
  const claims = await db
    .select()
    .from(schema.paymentClaims)
    .where(
      and(
        eq(schema.paymentClaims.status, "approved"),
        sql`${schema.paymentClaims.userId} is distinct from ${me.id}`,
        team ? undefined : sql`${schema.paymentClaims.eventId} in (select event_id from event_organisers where user_id = ${me.id})`,
      ),
    )
    .orderBy(asc(schema.paymentClaims.decidedAt));
  // The honorarium goes as the person chose (paid_to: me, organisation, voucher, donate,
  // none); their costs go to their own account unless their organisation is paid instead.
  const header = [
    "claim",
    "payee",
    "paid_to",
    "organisation_or_charity",
    "honorarium_gbp",
    "expenses_gbp",
    "amount_gbp",
    "account_name",
    "sort_code",
    "account_number",
    "event",
    "attended_on",
    "approved_on",
  ];
  const lines = [header.join(",")];
  const opened = new Map<string, { name: string; sortCode: string; account: string }>();
  try {
    for (const c of claims) if (c.bankSealed) opened.set(c.id, JSON.parse(unsealText(c.bankSealed, bankPlace(c.id))));
  } catch (err) {
    if (!(err instanceof SealError)) throw err;
    log.error("payments", "bank details did not open for a payment run", { error: err.message });
    return refuse(503, "Some bank details did not open with this server's payment keys, so no payment run was made. Please tell Convene's team.");
  }
  for (const c of claims) {
    const bank = opened.get(c.id) ?? null;
    lines.push(
      [
        c.id,
        c.payeeName,
        c.route,
        c.organisationName ?? c.charity,
        (c.honorariumPence / 100).toFixed(2),
        (c.expensesPence / 100).toFixed(2),
        ((c.honorariumPence + c.expensesPence) / 100).toFixed(2),
        bank?.name ?? null,
        bank ? sortCodeWords(bank.sortCode) : null,
        bank?.account ?? null,
        c.eventTitle,
        c.attendedOn.toISOString().slice(0, 10),
        c.decidedAt?.toISOString().slice(0, 10) ?? null,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  if (claims.length)
    await db
      .insert(schema.paymentAudit)
      .values(
        claims.map((c) => ({ claimId: c.id, actorId: me.id, action: "payment_run" as const, detail: c.bankSealed ? `account ending ${c.bankLast2}` : null })),
      );
  return done(`${claims.length} claim${claims.length === 1 ? "" : "s"} in this payment run.`, { csv: `${lines.join("\r\n")}\r\n`, count: claims.length });
}

// ---------------------------------------------------------------- a person's own claims

/** The claims on a person's page, and the events they can claim for now. */
export async function myPayments(userId: string, now = new Date()) {
  const [claims, claimable] = await Promise.all([
    db
      .select({
        id: schema.paymentClaims.id,
        eventTitle: schema.paymentClaims.eventTitle,
        status: schema.paymentClaims.status,
        total: sql<number>`${schema.paymentClaims.honorariumPence} + ${schema.paymentClaims.expensesPence}`,
        submittedAt: schema.paymentClaims.submittedAt,
      })
      .from(schema.paymentClaims)
      .where(eq(schema.paymentClaims.userId, userId))
      .orderBy(desc(schema.paymentClaims.submittedAt))
      .limit(20),
    db.execute<{ slug: string; title: string }>(sql`
      select e.slug, e.title from event_registrations r join events e on e.id = r.event_id join payment_offers o on o.event_id = e.id
      where r.user_id = ${userId} and r.status = 'confirmed' and r.attended is true and e.ends_at > ${new Date(now.getTime() - CLAIM_WINDOW_DAYS * DAY)}
        and (o.eligibility = 'all_attendees' or exists (select 1 from paid_participants pp where pp.event_id = e.id and pp.user_id = r.user_id))
        and not exists (select 1 from payment_claims c where c.event_id = e.id and c.user_id = r.user_id)
      order by e.ends_at desc limit 20`),
  ]);
  return { claims: claims.map((c) => ({ ...c, total: Number(c.total) })), claimable: claimable.rows };
}

/** A person's claims for their export: amounts, steps and the audit log; receipts by name, bank details by last two digits. */
export async function paymentClaimsOf(userId: string) {
  const claims = await db.select().from(schema.paymentClaims).where(eq(schema.paymentClaims.userId, userId));
  if (!claims.length) return [];
  const ids = claims.map((c) => c.id);
  const [expenses, receipts, steps, log] = await Promise.all([
    db.select().from(schema.paymentClaimExpenses).where(inArray(schema.paymentClaimExpenses.claimId, ids)),
    db
      .select({ claimId: schema.paymentReceipts.claimId, filename: schema.paymentReceipts.filename, createdAt: schema.paymentReceipts.createdAt })
      .from(schema.paymentReceipts)
      .where(inArray(schema.paymentReceipts.claimId, ids)),
    db
      .select({
        claimId: schema.paymentClaimSteps.claimId,
        step: schema.paymentClaimSteps.step,
        message: schema.paymentClaimSteps.message,
        at: schema.paymentClaimSteps.at,
      })
      .from(schema.paymentClaimSteps)
      .where(inArray(schema.paymentClaimSteps.claimId, ids)),
    db
      .select({ claimId: schema.paymentAudit.claimId, action: schema.paymentAudit.action, detail: schema.paymentAudit.detail, at: schema.paymentAudit.at })
      .from(schema.paymentAudit)
      .where(inArray(schema.paymentAudit.claimId, ids)),
  ]);
  return claims.map(({ bankSealed: _sealed, userId: _u, eventId: _e, ...c }) => ({
    ...c,
    bankAccountEnding: c.bankLast2,
    expenses: expenses.filter((x) => x.claimId === c.id).map(({ claimId: _, ...x }) => x),
    receipts: receipts.filter((x) => x.claimId === c.id).map(({ claimId: _, ...x }) => x),
    steps: steps.filter((x) => x.claimId === c.id).map(({ claimId: _, ...x }) => x),
    auditLog: log.filter((x) => x.claimId === c.id).map(({ claimId: _, ...x }) => x),
  }));
}

/**
 * Deleting an account: claims not yet paid are withdrawn and their bank details deleted; the
 * financial record of paid claims stays (payee name, amounts, dates, receipts) without the
 * link to the account, which the foreign key then clears.
 */
export async function beforeAccountDeletion(tx: DbOrTx, userId: string) {
  await tx
    .update(schema.paymentClaims)
    .set({ status: "withdrawn", decidedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(schema.paymentClaims.userId, userId), inArray(schema.paymentClaims.status, ["submitted", "queried", "approved"])));
  await tx
    .update(schema.paymentClaims)
    .set({ bankSealed: null, bankDeletedAt: new Date() })
    .where(and(eq(schema.paymentClaims.userId, userId), isNotNull(schema.paymentClaims.bankSealed)));
  await tx.execute(sql`delete from notifications where subject_key in (select 'claim:' || id from payment_claims where user_id = ${userId})`);
}

// ---------------------------------------------------------------- retention

/**
 * Bank details go 30 days after payment; the whole record (receipts, steps, audit log with
 * it) six years after it was paid or decided. Conditional deletes: running twice, or in two
 * processes at once, deletes each thing once.
 */
export async function applyPaymentRetention(now = new Date()) {
  const bankCutoff = new Date(now.getTime() - BANK_DETAILS_KEEP_DAYS * DAY);
  const cleared = await db.transaction(async (tx) => {
    const rows = await tx
      .update(schema.paymentClaims)
      .set({ bankSealed: null, bankDeletedAt: now })
      .where(and(eq(schema.paymentClaims.status, "paid"), isNotNull(schema.paymentClaims.bankSealed), lt(schema.paymentClaims.paidAt, bankCutoff)))
      .returning({ id: schema.paymentClaims.id, last2: schema.paymentClaims.bankLast2 });
    if (rows.length)
      await tx
        .insert(schema.paymentAudit)
        .values(rows.map((r) => ({ claimId: r.id, actorId: null, action: "bank_details_deleted" as const, detail: `account ending ${r.last2}` })));
    return rows.length;
  });
  const recordCutoff = new Date(now);
  recordCutoff.setUTCFullYear(recordCutoff.getUTCFullYear() - RECORD_KEEP_YEARS);
  const deleted = await db
    .delete(schema.paymentClaims)
    .where(
      or(
        and(eq(schema.paymentClaims.status, "paid"), lt(schema.paymentClaims.paidAt, recordCutoff)),
        and(inArray(schema.paymentClaims.status, ["rejected", "withdrawn"]), lt(schema.paymentClaims.updatedAt, recordCutoff)),
      ),
    )
    .returning({ id: schema.paymentClaims.id });
  return { bankDetailsDeleted: cleared, claimsDeleted: deleted.length };
}

// ---------------------------------------------------------------- key rotation

/**
 * Re-seals every sealed value not under the current key (after a new key is put first in
 * PAYMENT_KEYS). Each row is re-sealed in its own small transaction under its row lock;
 * a value that does not open stops the run loudly (SealError). Returns how many changed.
 */
export async function resealAll(): Promise<{ bankDetails: number; receipts: number }> {
  const current = currentKeyId();
  let bankDetails = 0;
  let receipts = 0;
  const claims = await db
    .select({ id: schema.paymentClaims.id, sealed: schema.paymentClaims.bankSealed })
    .from(schema.paymentClaims)
    .where(isNotNull(schema.paymentClaims.bankSealed));
  for (const c of claims) {
    if (!c.sealed || sealedKeyId(c.sealed) === current) continue;
    await db.transaction(async (tx) => {
      const row = await lockRow(tx.select({ sealed: schema.paymentClaims.bankSealed }).from(schema.paymentClaims).where(eq(schema.paymentClaims.id, c.id)));
      if (!row?.sealed || sealedKeyId(row.sealed) === current) return;
      await tx
        .update(schema.paymentClaims)
        .set({ bankSealed: seal(unseal(row.sealed, bankPlace(c.id)), bankPlace(c.id)) })
        .where(eq(schema.paymentClaims.id, c.id));
      bankDetails++;
    });
  }
  const rs = await db.select({ id: schema.paymentReceipts.id }).from(schema.paymentReceipts);
  for (const r of rs) {
    await db.transaction(async (tx) => {
      const row = await lockRow(tx.select({ sealed: schema.paymentReceipts.sealed }).from(schema.paymentReceipts).where(eq(schema.paymentReceipts.id, r.id)));
      if (!row || sealedKeyId(row.sealed) === current) return;
      await tx
        .update(schema.paymentReceipts)
        .set({ sealed: seal(unseal(row.sealed, receiptPlace(r.id)), receiptPlace(r.id)) })
        .where(eq(schema.paymentReceipts.id, r.id));
      receipts++;
    });
  }
  return { bankDetails, receipts };
}

export { SealError };

// ---------------------------------------------------------------- transparency

const QUARTER_MONTHS = ["January to March", "April to June", "July to September", "October to December"];

/**
 * What Convene paid participants, per quarter (by the UK date of payment) and by event kind:
 * the total, the number of people and the median days from the event to payment, with
 * small groups suppressed (app/models/disclosure.ts). Claims of deleted accounts count
 * (each once), as part of the financial record.
 */
export async function paymentTransparency() {
  const { rows } = await db.execute<{ quarter: string; kind: string | null; people: number; pence: string; median_days: number | null }>(sql`
    with paid as (
      select to_char(paid_at at time zone 'Europe/London', 'YYYY-"Q"Q') as quarter, event_kind as kind,
             coalesce(user_id, 'claim:' || id) as person, honorarium_pence + expenses_pence as pence,
             greatest(0, extract(epoch from paid_at - attended_on) / 86400) as days
        from payment_claims where status = 'paid' and paid_at is not null)
    select quarter, kind, count(distinct person)::int as people, sum(pence)::bigint as pence,
           round(percentile_cont(0.5) within group (order by days)::numeric, 0)::int as median_days
      from paid group by grouping sets ((quarter, kind), (quarter))
      order by quarter desc`);
  const kinds = schema.EVENT_KINDS;
  const quarters = [...new Set(rows.map((r) => r.quarter))];
  const figure = (r: (typeof rows)[number]) => ({
    people: Number(r.people),
    pence: Number(r.pence),
    medianDays: r.median_days === null ? null : Number(r.median_days),
  });
  return {
    kinds,
    quarters: quarters.map((q) => {
      const inQ = rows.filter((r) => r.quarter === q);
      const total = inQ.find((r) => r.kind === null);
      const cells = Object.fromEntries(inQ.filter((r) => r.kind !== null).map((r) => [r.kind, figure(r)]));
      const [year, n] = q.split("-Q");
      return {
        key: q,
        label: `${QUARTER_MONTHS[Number(n) - 1]} ${year}`,
        ...suppressRow(kinds, cells, total ? figure(total) : { people: 0, pence: 0, medianDays: null }),
      };
    }),
  };
}
