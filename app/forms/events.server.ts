import { IANAZone } from "luxon";
import { z } from "zod";
import { ACCESS_PROVISIONS, EVENT_KINDS, EXPENSE_KINDS, HONORARIUM_UNITS, PAYMENT_ROUTES } from "../../db/schema";
import { fields } from "../utils/forms.server";
import { resolveLocalTime } from "../utils/local-time";
import { httpsUrl, list } from "./shared.server";

// Form shapes for events and registrations.

export const EventForm = z
  .object({
    kind: z.enum(EVENT_KINDS, { error: "Choose the kind of event" }),
    title: z.string({ error: "Give the event a title" }).trim().min(3, "Use at least 3 characters").max(200, "Use at most 200 characters"),
    summary: z.string().trim().max(300, "Keep the summary under 300 characters").default(""),
    description: fields.markdown(20_000).default(""),
    timeZone: z
      .string()
      .trim()
      .max(60, "Choose a time zone from the list, like Europe/London")
      .default("Europe/London")
      .refine((v) => IANAZone.isValidZone(v), "Choose a time zone from the list, like Europe/London"),
    startDate: z.string({ error: "Enter the date" }).regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD"),
    startTime: z.string({ error: "Enter the start time" }).regex(/^\d{2}:\d{2}$/, "Enter the start time as HH:MM"),
    endDate: z
      .string()
      .max(10, "Enter the date as YYYY-MM-DD")
      .regex(/^(\d{4}-\d{2}-\d{2})?$/, "Enter the date as YYYY-MM-DD")
      .optional()
      .transform((v) => v || null),
    endTime: z.string({ error: "Enter the end time" }).regex(/^\d{2}:\d{2}$/, "Enter the end time as HH:MM"),
    // Asked only on the night the clocks go back, when the time typed happens twice.
    startWhich: z
      .enum(["first", "second", ""])
      .optional()
      .transform((v) => v || null),
    endWhich: z
      .enum(["first", "second", ""])
      .optional()
      .transform((v) => v || null),
    capacity: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || null)
      .refine(
        (v) => v === null || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100_000),
        "Capacity must be a whole number of at least 1, or empty for no limit",
      )
      .transform((v) => (v === null ? null : Number(v))),
    registrationOpens: z
      .string()
      .max(40, "Enter a date and time")
      .optional()
      .transform((v) => v || null),
    registrationCloses: z
      .string()
      .max(40, "Enter a date and time")
      .optional()
      .transform((v) => v || null),
    joinUrl: httpsUrl("The joining link"),
    venue: z
      .string()
      .trim()
      .max(500, "Keep the address under 500 characters")
      .optional()
      .transform((v) => v || null),
    accessProvisions: list.pipe(z.array(z.enum(ACCESS_PROVISIONS, { error: "Choose provisions from the list" }))),
    accessOther: z
      .string()
      .trim()
      .max(300, "Keep this under 300 characters")
      .optional()
      .transform((v) => v || null),
    communityId: z
      .string()
      .max(100)
      .optional()
      .transform((v) => v || null),
    hubId: z
      .string()
      .max(100)
      .optional()
      .transform((v) => v || null),
    repeat: z.enum(["none", "week", "fortnight", "month"]).default("none"),
    repeatCount: z
      .string()
      .max(10, "Repeat between 2 and 26 times")
      .optional()
      .transform((v) => (v ? Number(v) : 4))
      .refine((n) => Number.isInteger(n) && n >= 2 && n <= 26, "Repeat between 2 and 26 times"),
    confirmClash: z.literal("1").optional(),
  })
  .transform((v, ctx) => {
    // A time that does not exist that night is refused beside its field; one that happens
    // twice is asked about (the form then shows "the first or the second?").
    const resolve = (date: string, time: string, which: "first" | "second" | null, fields: { date: string; time: string; which: string }) => {
      const r = resolveLocalTime(date, time, v.timeZone, which);
      if (r.ok) return r.at;
      ctx.addIssue({ code: "custom", path: [r.problem === "twice" ? fields.which : r.problem === "missing" ? fields.time : fields.date], message: r.message });
      return null;
    };
    const startsAt = resolve(v.startDate, v.startTime, v.startWhich, { date: "startDate", time: "startTime", which: "startWhich" });
    const endsAt = resolve(v.endDate ?? v.startDate, v.endTime, v.endWhich, { date: v.endDate ? "endDate" : "startDate", time: "endTime", which: "endWhich" });
    if (startsAt && endsAt && endsAt <= startsAt) ctx.addIssue({ code: "custom", path: ["endTime"], message: "The end must be after the start" });
    const parseWindow = (value: string | null, field: string) => {
      if (!value) return null;
      const [date, time] = value.split("T");
      const r = /^\d{4}-\d{2}-\d{2}$/.test(date ?? "") && /^\d{2}:\d{2}(:\d{2})?$/.test(time ?? "") ? resolveLocalTime(date, time, v.timeZone) : null;
      // A repeated time here takes its first occurrence: registration then opens or closes
      // an hour early at most, never late.
      if (r && (r.ok || r.problem === "twice")) return r.ok ? r.at : r.first;
      ctx.addIssue({ code: "custom", path: [field], message: r ? r.message : "Enter a date and time" });
      return null;
    };
    const registrationOpensAt = parseWindow(v.registrationOpens, "registrationOpens");
    const registrationClosesAt = parseWindow(v.registrationCloses, "registrationCloses");
    if (registrationOpensAt && registrationClosesAt && registrationClosesAt <= registrationOpensAt) {
      ctx.addIssue({ code: "custom", path: ["registrationCloses"], message: "Registration must close after it opens" });
    }
    if (startsAt && registrationClosesAt && registrationClosesAt > startsAt) {
      ctx.addIssue({ code: "custom", path: ["registrationCloses"], message: "Registration must close by the start of the event" });
    }
    if (!startsAt || !endsAt) return z.NEVER;
    return {
      input: {
        kind: v.kind,
        title: v.title,
        summary: v.summary,
        description: v.description,
        startsAt,
        endsAt,
        timeZone: v.timeZone,
        capacity: v.capacity,
        registrationOpensAt,
        registrationClosesAt,
        joinUrl: v.joinUrl,
        venue: v.venue,
        accessProvisions: v.accessProvisions,
        accessOther: v.accessOther,
        communityId: v.communityId,
        hubId: v.hubId,
      },
      repeat: v.repeat === "none" ? null : { every: v.repeat, count: v.repeatCount },
      confirmClash: v.confirmClash === "1",
    };
  });

export const RegistrationForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("register"),
    accessNeeds: list,
    accessNotes: z.string().max(2000, "Keep this under 2,000 characters").optional(),
    wholeSeries: z.literal("1").optional(),
  }),
  z.object({ intent: z.literal("cancel") }),
]);

export const OrganiserActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("publish") }),
  z.object({ intent: z.literal("cancel-event") }),
  z.object({ intent: z.literal("duplicate") }),
  z.object({
    intent: z.literal("message"),
    subject: z.string({ error: "Write a subject" }).trim().min(3, "Write a subject").max(150, "Keep the subject under 150 characters"),
    body: z.string({ error: "Write your message" }).trim().min(3, "Write your message").max(10_000, "Keep the message under 10,000 characters"),
  }),
  z.object({ intent: z.literal("materials"), materials: fields.markdown(20_000).default(""), recordingUrl: httpsUrl("The recording link") }),
  z.object({ intent: z.literal("attendance"), present: list }),
]);

export const EventFiltersForm = z.object({
  when: z.enum(["upcoming", "past"]).optional().catch(undefined),
  kind: z.enum(EVENT_KINDS).optional().catch(undefined),
  community: z.string().max(100).optional(),
  hub: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
});

// ---------------------------------------------------------------- payment for taking part

/** An amount in pounds as people type it (50, £12.50, 1,200) → whole pence; never floating point. */
export const poundsField = (label: string, max = 1_000_000) =>
  z
    .string()
    .trim()
    .max(20, `Enter ${label} in pounds, like 50 or 12.50`)
    .optional()
    .transform((v, ctx) => {
      const t = (v ?? "").replace(/^£/, "").replace(/,/g, "");
      if (!t) return null;
      // "12.5" is how many people write £12.50: one or two decimals.
      const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(t);
      if (!m) {
        ctx.addIssue({ code: "custom", message: `Enter ${label} in pounds, like 50 or 12.50` });
        return z.NEVER;
      }
      const pence = Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
      if (pence > max) {
        ctx.addIssue({ code: "custom", message: `${label[0].toUpperCase()}${label.slice(1)} can be at most £${(max / 100).toLocaleString("en-GB")}` });
        return z.NEVER;
      }
      return pence;
    });

export const PaymentOfferForm = z.discriminatedUnion("intent", [
  z
    .object({
      intent: z.literal("offer"),
      honorarium: poundsField("the honorarium", 200_000),
      honorariumUnit: z.enum(HONORARIUM_UNITS, { error: "Choose what the honorarium is for" }),
      expenses: fields.list(10).pipe(z.array(z.enum(EXPENSE_KINDS, { error: "Choose expenses from the list" }))),
      eligibility: z.enum(["all_attendees", "marked"], { error: "Choose who is paid" }),
      budget: poundsField("the budget", 10_000_000),
    })
    .refine((f) => f.honorarium !== null || f.expenses.length > 0, { path: ["honorarium"], message: "Offer an honorarium, some expenses, or both" }),
  z.object({ intent: z.literal("withdraw") }),
  z.object({ intent: z.literal("mark"), userId: z.string().min(1).max(100), paid: z.enum(["1", "0"]) }),
]);

export const PaymentChoiceForm = z.object({
  route: z.enum(PAYMENT_ROUTES, { error: "Choose how you would like to be paid" }),
  organisationId: z
    .string()
    .max(100)
    .optional()
    .transform((v) => v || null),
  charity: z
    .string()
    .trim()
    .max(200, "Keep the charity's name under 200 characters")
    .optional()
    .transform((v) => v || null),
  lowerAmount: poundsField("the lower amount", 200_000),
});
export type PaymentChoiceInput = z.infer<typeof PaymentChoiceForm>;
