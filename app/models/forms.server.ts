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
