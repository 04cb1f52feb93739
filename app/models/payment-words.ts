// Payment for taking part, in plain words: shared by the event page, the choice page and the
// organisers' form (client-safe: no server code here).
import { EXPENSE_KINDS, HONORARIUM_UNITS, PAYMENT_ROUTES } from "../../db/schema";

export { EXPENSE_KINDS, HONORARIUM_UNITS, PAYMENT_ROUTES };
export type HonorariumUnit = (typeof HONORARIUM_UNITS)[number];
export type ExpenseKind = (typeof EXPENSE_KINDS)[number];
export type PaymentRoute = (typeof PAYMENT_ROUTES)[number];

export const UNIT_WORDS: Record<HonorariumUnit, string> = {
  session: "for taking part",
  half_day: "for each half day",
  full_day: "for each full day",
};

export const EXPENSE_WORDS: Record<ExpenseKind, string> = {
  travel: "travel",
  care: "care",
  support_worker: "support worker",
  data_phone: "phone and data",
};

export const ROUTE_LABELS: Record<PaymentRoute, string> = {
  me: "Pay me",
  organisation: "Pay my organisation instead",
  voucher: "A voucher",
  donate: "Give it to a charity",
  none: "No thanks",
};

/** £50, £12.50 */
export const pounds = (pence: number) => `£${(pence / 100).toFixed(pence % 100 === 0 ? 0 : 2).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;

const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

/** "We pay £50 for taking part, and your travel and care costs." */
export function offerSentence(offer: { honorariumPence: number | null; honorariumUnit: HonorariumUnit; expenses: ExpenseKind[]; eligibility: string }) {
  const costs = offer.expenses.length ? `your ${list(offer.expenses.map((e) => EXPENSE_WORDS[e]))} costs` : "";
  const fee = offer.honorariumPence ? `${pounds(offer.honorariumPence)} ${UNIT_WORDS[offer.honorariumUnit]}` : "";
  const who = offer.eligibility === "marked" ? " to the panel members taking part (the organisers tell you if that is you)" : "";
  if (fee && costs) return `We pay ${fee}, and ${costs}${who}.`;
  if (fee) return `We pay ${fee}${who}.`;
  return `We pay ${costs}${who}.`;
}

export const CLAIM_STATUS_WORDS: Record<string, string> = {
  submitted: "Waiting for approval",
  queried: "Question asked, waiting for an answer",
  approved: "Approved, to be paid",
  rejected: "Not approved",
  paid: "Paid",
  withdrawn: "Withdrawn",
};

export const PAID_METHOD_WORDS: Record<string, string> = {
  bank_transfer: "Bank transfer",
  voucher: "Voucher",
  to_organisation: "Paid to the organisation",
  donation: "Given to the charity",
  other: "Another way",
};

export const STEP_WORDS: Record<string, string> = {
  submitted: "Claim made",
  queried: "Question asked",
  answered: "Question answered",
  approval: "Approved (one of two approvals)",
  approved: "Approved",
  rejected: "Not approved",
  paid: "Paid",
  withdrawn: "Withdrawn",
  receipt_added: "Receipt added",
  bank_details: "Bank details changed",
};

export const AUDIT_WORDS: Record<string, string> = {
  receipt_viewed: "opened a receipt",
  bank_details_entered: "entered bank details",
  bank_details_changed: "changed the bank details",
  bank_details_deleted: "bank details deleted (30 days after payment)",
  payment_run: "exported the bank details in a payment run",
  rotated: "re-sealed under a new key",
};

/** "12-34-56" from six digits. */
export const sortCodeWords = (digits: string) => `${digits.slice(0, 2)}-${digits.slice(2, 4)}-${digits.slice(4, 6)}`;

/** The names of an expense line's fields on the claim form: travelAmount, travelNote … */
export const expenseAmountField = (k: ExpenseKind) => `${k}Amount` as const;
export const expenseNoteField = (k: ExpenseKind) => `${k}Note` as const;
