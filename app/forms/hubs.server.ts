import { DateTime } from "luxon";
import { z } from "zod";
import { RESEARCH_SKILLS } from "../models/data-source-facets";
import { fields } from "../utils/forms.server";
import { resolveLocalTime } from "../utils/local-time";
import { sourceNames } from "./data.server";
import { commaList, slugField } from "./shared.server";

// Form shapes for moment hubs and their research tasks.

// A moment's time (UK): a repeated hour takes its first occurrence; a missing one is refused.
const ukDateTime = (date: string, time: string) => resolveLocalTime(date, time, "Europe/London");

export const HubForm = z
  .object({
    title: z.string({ error: "Give the hub a title" }).trim().min(3, "Use at least 3 characters").max(120, "Use at most 120 characters"),
    momentName: z.string({ error: "Name the moment" }).trim().min(3, "Name the moment, for example Autumn Budget 2026").max(120, "Use at most 120 characters"),
    momentDate: z.string({ error: "Enter the date" }).regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD"),
    momentTime: z
      .string()
      .max(5, "Enter the time as HH:MM (UK time)")
      .optional()
      .transform((v) => v || "12:30")
      .pipe(z.string().regex(/^\d{2}:\d{2}$/, "Enter the time as HH:MM (UK time)")),
    summary: z.string().trim().max(300, "Keep the summary under 300 characters").default(""),
    description: fields.markdown(20_000).default(""),
  })
  .transform((v, ctx) => {
    const r = ukDateTime(v.momentDate, v.momentTime);
    const momentAt = r.ok ? r.at : r.problem === "twice" ? r.first : null;
    if (!momentAt) {
      ctx.addIssue({
        code: "custom",
        path: [r.ok || r.problem !== "missing" ? "momentDate" : "momentTime"],
        message: r.ok ? "" : r.problem === "missing" ? r.message : "That date does not exist",
      });
      return z.NEVER;
    }
    return { title: v.title, momentName: v.momentName, momentAt, summary: v.summary, description: v.description };
  });

export const CreateHubForm = z.object({ slug: slugField }).and(HubForm);

export const StewardForm = z.object({ intent: z.literal("steward"), email: fields.email });
export const RemoveStewardForm = z.object({ intent: z.literal("remove-steward"), userId: z.string().min(1).max(100) });
export const UpdateHubForm = z.object({ intent: z.literal("save") }).and(HubForm);

const tagList = commaList(300, "Keep tags under 300 characters", 10);

export const TaskForm = z.object({
  title: z.string({ error: "Give the task a title" }).trim().min(5, "Use at least 5 characters").max(200, "Use at most 200 characters"),
  question: z.string().trim().max(1000, "Keep the question under 1,000 characters").default(""),
  description: fields.markdown(20_000).default(""),
  dataSources: z.string().trim().max(2000, "Keep this under 2,000 characters").default(""),
  tags: tagList,
  dueDate: z
    .string()
    .max(10, "Enter the due date as YYYY-MM-DD")
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid), "Enter the due date as YYYY-MM-DD"),
  confirmNew: z.literal("1").optional(),
});

const reason = (what: string) =>
  z
    .string({ error: `Say why you are ${what} it` })
    .trim()
    .min(3, `Say why you are ${what} it`)
    .max(500, "Keep the reason under 500 characters");
const optionalId = z
  .string()
  .max(100)
  .optional()
  .transform((v) => v || null);

export const TaskActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("claim"), orgId: optionalId }),
  z.object({ intent: z.literal("join"), orgId: optionalId }),
  z.object({ intent: z.literal("leave") }),
  z.object({ intent: z.literal("advance"), to: z.enum(["in_progress", "in_review", "published"]), outputUrl: optionalId.pipe(z.string().max(500).nullable()) }),
  z.object({ intent: z.literal("release") }),
  z.object({ intent: z.literal("drop"), reason: reason("dropping") }),
  z.object({ intent: z.literal("reopen"), reason: reason("reopening") }),
  z.object({ intent: z.literal("reassign"), email: fields.email, orgId: optionalId }),
  z.object({ intent: z.literal("merge"), intoId: z.string({ error: "Choose the task to merge into" }).min(1, "Choose the task to merge into").max(100) }),
  z.object({ intent: z.literal("link-sources"), sources: sourceNames }),
  z.object({ intent: z.literal("unlink-source"), slug: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("ask-skills"), skills: fields.list().pipe(z.array(z.enum(RESEARCH_SKILLS, { error: "Choose skills from the list" }))) }),
  z.object({
    intent: z.literal("offer-help"),
    message: z.string().trim().max(1000, "Keep your message under 1,000 characters").default(""),
    orgId: optionalId,
  }),
  z.object({
    intent: z.literal("answer-offer"),
    offerId: z.string().min(1).max(100),
    decision: z.enum(["accept", "decline"], { error: "Choose to accept or decline" }),
    reply: z.string().trim().max(1000, "Keep your answer under 1,000 characters").default(""),
  }),
]);

export const BoardFiltersForm = z.object({
  tag: z.string().max(60).optional(),
  org: z.string().max(100).optional(),
  status: z.string().max(20).optional(),
  unclaimed: z.literal("1").optional(),
  phase: z.enum(["before", "on_the_day", "after"]).optional(),
});
