import { DateTime } from "luxon";
import { z } from "zod";
import { ORGANISATION_TYPES } from "../../db/schema";
import { fields } from "../utils/forms.server";
import { UK_REGIONS } from "./orgs.server";

// Form shapes for communities, the directory and the principles (kept out of route
// modules, which are bundled for the browser too).

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} can be at most ${max} characters`)
    .optional()
    .transform((v) => v?.trim() || null);

export const JoinCommunityForm = z.object({ intent: z.literal("join"), message: optionalText(1000, "Your message") });

export const CommunityActionForm = z.discriminatedUnion("intent", [
  JoinCommunityForm,
  z.object({ intent: z.literal("leave") }),
  z.object({ intent: z.literal("approve"), userId: z.string().min(1).max(100), message: optionalText(1000, "The message") }),
  z.object({ intent: z.literal("decline"), userId: z.string().min(1).max(100), message: optionalText(1000, "The message") }),
  z.object({ intent: z.literal("invite"), email: fields.email }),
  z.object({ intent: z.literal("make-facilitator"), userId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("make-member"), userId: z.string().min(1).max(100) }),
]);

const slugField = z
  .string({ error: "Choose a web address" })
  .trim()
  .toLowerCase()
  .min(3, "Use at least 3 characters")
  .max(60, "Use at most 60 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, numbers and single hyphens, like local-food-data")
  .refine((s) => !["new", "invitations"].includes(s), "That web address is reserved");

const communityFields = {
  name: z.string({ error: "Give the community a name" }).trim().min(3, "Use at least 3 characters").max(100, "Use at most 100 characters"),
  summary: z.string().trim().max(300, "Keep the summary under 300 characters").default(""),
  about: z.string().trim().max(20_000, "That is too long (20,000 characters at most)").default(""),
  joinPolicy: z.enum(["open", "approval"], { error: "Choose how people join" }),
  visibility: z.enum(["public", "private"], { error: "Choose who can see it" }),
};

export const CreateCommunityForm = z.object({ ...communityFields, slug: slugField });
export const UpdateCommunityForm = z.object({ intent: z.literal("save"), ...communityFields });
export const AppointFacilitatorForm = z.object({ intent: z.literal("appoint"), email: fields.email });

export const DirectorySearchForm = z.object({
  q: z.string().max(100).optional(),
  type: z.string().max(40).optional(),
  region: z.string().max(60).optional(),
  focus: z.string().max(100).optional(),
  level: z.string().max(40).optional(),
});

export const OrganisationForm = z.object({
  name: z.string({ error: "Enter the organisation's name" }).trim().min(2, "Enter the organisation's name").max(150, "Use at most 150 characters"),
  type: z.enum(ORGANISATION_TYPES, { error: "Choose the kind of organisation" }),
  about: z.string().trim().max(5000, "Keep this under 5,000 characters").default(""),
  regions: list.pipe(z.array(z.enum(UK_REGIONS, { error: "Choose regions from the list" })).min(1, "Choose at least one region")),
  focusAreas: z
    .string()
    .max(500, "Keep this under 500 characters")
    .optional()
    .transform((v) =>
      Array.from(new Set((v ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))).slice(0, 12),
    ),
  website: z
    .string()
    .trim()
    .max(300, "That address is too long")
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(v), "Enter a web address starting with https://"),
});

export const OrganisationActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("request") }),
  z.object({ intent: z.literal("leave") }),
  z.object({ intent: z.literal("approve"), userId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("decline"), userId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("make-admin"), userId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("make-member"), userId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("anchor"), anchor: z.enum(["1", "0"]) }),
]);

export const SignPrinciplesForm = z.object({
  version: z.coerce.number().int().min(1),
  as: z.string().min(1).max(100), // "me" or an organisation's slug
});

// ---------------------------------------------------------------- hubs and tasks

const ukDateTime = (date: string, time: string) => {
  const dt = DateTime.fromISO(`${date}T${time}`, { zone: "Europe/London" });
  return dt.isValid ? dt.toJSDate() : null;
};

export const HubForm = z
  .object({
    title: z.string({ error: "Give the hub a title" }).trim().min(3, "Use at least 3 characters").max(120, "Use at most 120 characters"),
    momentName: z.string({ error: "Name the moment" }).trim().min(3, "Name the moment, for example Autumn Budget 2026").max(120, "Use at most 120 characters"),
    momentDate: z.string({ error: "Enter the date" }).regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD"),
    momentTime: z
      .string()
      .optional()
      .transform((v) => v || "12:30")
      .pipe(z.string().regex(/^\d{2}:\d{2}$/, "Enter the time as HH:MM (UK time)")),
    summary: z.string().trim().max(300, "Keep the summary under 300 characters").default(""),
    description: z.string().trim().max(20_000, "That is too long").default(""),
  })
  .transform((v, ctx) => {
    const momentAt = ukDateTime(v.momentDate, v.momentTime);
    if (!momentAt) {
      ctx.addIssue({ code: "custom", path: ["momentDate"], message: "That date does not exist" });
      return z.NEVER;
    }
    return { title: v.title, momentName: v.momentName, momentAt, summary: v.summary, description: v.description };
  });

export const CreateHubForm = z.object({ slug: slugField }).and(HubForm);

export const StewardForm = z.object({ intent: z.literal("steward"), email: fields.email });

const tagList = z
  .string()
  .max(300, "Keep tags under 300 characters")
  .optional()
  .transform((v) => Array.from(new Set((v ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))).slice(0, 10));

export const TaskForm = z.object({
  title: z.string({ error: "Give the task a title" }).trim().min(5, "Use at least 5 characters").max(200, "Use at most 200 characters"),
  question: z.string().trim().max(1000, "Keep the question under 1,000 characters").default(""),
  description: z.string().trim().max(20_000, "That is too long").default(""),
  dataSources: z.string().trim().max(2000, "Keep this under 2,000 characters").default(""),
  tags: tagList,
  dueDate: z
    .string()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid), "Enter the due date as YYYY-MM-DD"),
  confirmNew: z.literal("1").optional(),
});

const reason = (what: string) => z.string({ error: `Say why you are ${what} it` }).trim().min(3, `Say why you are ${what} it`).max(500, "Keep the reason under 500 characters");
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
]);

export const BoardFiltersForm = z.object({
  tag: z.string().max(60).optional(),
  org: z.string().max(100).optional(),
  status: z.string().max(20).optional(),
  unclaimed: z.literal("1").optional(),
});
