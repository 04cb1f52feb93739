import { z } from "zod";
import { ORGANISATION_TYPES } from "../../db/schema";
import { UK_REGIONS } from "../models/organisation-types";
import { commaList, list } from "./shared.server";

// Form shapes for the directory and the shared principles.

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
  focusAreas: commaList(500, "Keep this under 500 characters", 12),
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
