import { z } from "zod";
import { EXPENSE_KINDS, PAID_METHODS } from "../../db/schema";
import { expenseAmountField, expenseNoteField } from "../models/payment-words";
import { fields } from "../utils/forms.server";
import { poundsField } from "./events.server";

// The forms of payment claims (paying people, part 2). Amounts are whole pence (poundsField).

const trimmed = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => v || null);

const digits = (n: number, message: string) =>
  z
    .string()
    .max(30, message)
    .optional()
    .transform((v) => (v ?? "").replace(/[\s-]/g, ""))
    .refine((v) => v === "" || new RegExp(`^\\d{${n}}$`).test(v), message)
    .transform((v) => v || null);

const bankFields = {
  accountName: trimmed(70, "Keep the name on the account under 70 characters"),
  sortCode: digits(6, "Enter the sort code as 6 digits, like 12-34-56"),
  accountNumber: digits(8, "Enter the account number as 8 digits"),
};

const expenseShape = Object.fromEntries(
  EXPENSE_KINDS.flatMap((k) => [
    [expenseAmountField(k), poundsField("the amount", 200_000)],
    [expenseNoteField(k), trimmed(300, "Keep what it was for under 300 characters")],
  ]),
) as Record<string, z.ZodType<number | string | null>>;

export const ClaimForm = z.object({ ...expenseShape, ...bankFields });
export type ClaimInput = {
  expenses: { kind: (typeof EXPENSE_KINDS)[number]; amountPence: number; description: string }[];
  bank: BankInput | null;
};
export type BankInput = { accountName: string | null; sortCode: string | null; accountNumber: string | null };

/** The parsed claim form as expense lines (the ones with an amount) and bank details (if any were typed). */
export function claimInput(data: z.infer<typeof ClaimForm>): ClaimInput {
  const d = data as Record<string, unknown>;
  const expenses = EXPENSE_KINDS.flatMap((kind) => {
    const amount = d[expenseAmountField(kind)] as number | null;
    return amount ? [{ kind, amountPence: amount, description: (d[expenseNoteField(kind)] as string | null) ?? "" }] : [];
  });
  const bank = { accountName: d.accountName as string | null, sortCode: d.sortCode as string | null, accountNumber: d.accountNumber as string | null };
  return { expenses, bank: bank.accountName || bank.sortCode || bank.accountNumber ? bank : null };
}

const message = (empty: string) => z.string({ error: empty }).trim().min(1, empty).max(2000, "Keep it under 2,000 characters");

export const ClaimActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve") }),
  z.object({ intent: z.literal("withdraw") }),
  z.object({ intent: z.literal("query"), message: message("Write your question for the claimant") }),
  z.object({ intent: z.literal("reject"), message: message("Say why the claim is not approved") }),
  z.object({ intent: z.literal("answer"), message: message("Write your answer") }),
  z.object({
    intent: z.literal("paid"),
    method: z.enum(PAID_METHODS, { error: "Choose how it was paid" }),
    reference: trimmed(100, "Keep the reference under 100 characters"),
    paidOn: z
      .string()
      .max(10)
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), "Enter the date it was paid, like 2026-11-30"),
  }),
  z.object({ intent: z.literal("bank"), ...bankFields }),
]);

export const ReceiptForm = z.object({
  kind: z
    .union([z.enum(EXPENSE_KINDS), z.literal("")], { error: "Choose which cost it is for from the list" })
    .optional()
    .transform((v) => v || null),
});

export const PaymentRunForm = z.object({ password: fields.password });
