import { z } from "zod";
import {
  ACCESS_ROUTES,
  BREAKDOWNS,
  FREQUENCIES,
  GAP_GROUPS,
  GAP_KINDS,
  GAP_STATUSES,
  HELP_TERMS,
  PLACE_LEVELS,
  RESEARCH_SKILLS,
} from "../models/data-source-facets";
import { commaList, httpsUrl, list, optionalText } from "./shared.server";

// Forms of the data catalogue.

const text = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} can be at most ${max.toLocaleString("en-GB")} characters`)
    .default("");
const required = (label: string, max: number, empty: string) =>
  z.string({ error: empty }).trim().min(1, empty).max(max, `${label} can be at most ${max} characters`);

export const DataSourceForm = z.object({
  name: required("The name", 200, "Enter the source's name"),
  publisher: required("The publisher", 200, "Enter who publishes it"),
  url: httpsUrl("The web address"),
  measures: text("What it measures", 4000),
  topics: commaList(500, "Keep the topics under 500 characters", 12),
  coverage: text("Where it covers", 200),
  placeLevels: list.pipe(z.array(z.enum(PLACE_LEVELS, { error: "Choose place levels from the list" }))),
  firstYear: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .refine((v) => v === null || (Number.isInteger(v) && v >= 1800 && v <= 2100), "Enter a year such as 1994"),
  latestRelease: optionalText(50, "The latest release"),
  frequency: z
    .union([z.literal(""), z.enum(FREQUENCIES)], { error: "Choose how often from the list" })
    .optional()
    .transform((v) => v || null),
  breakdowns: list.pipe(z.array(z.enum(BREAKDOWNS, { error: "Choose breakdowns from the list" }))),
  licence: optionalText(200, "The licence"),
  access: z.enum(ACCESS_ROUTES, { error: "Choose how it can be reached" }),
  methods: text("Methods", 4000),
  qualityIssues: text("Known quality issues", 4000),
  contact: optionalText(200, "Who to ask"),
});
export type DataSourceInput = z.infer<typeof DataSourceForm>;

const optionalId = z
  .string()
  .max(100, "That is not one of the choices")
  .optional()
  .transform((v) => v || null);

/** Names or addresses of catalogue entries, one per line or separated by semicolons: at most 20. */
export const sourceNames = z
  .string()
  .max(2000, "Keep the list of sources under 2,000 characters")
  .optional()
  .transform((v) =>
    Array.from(
      new Set(
        (v ?? "")
          .split(/[\n;]/)
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ),
  )
  .refine((v) => v.length <= 20, "Name at most 20 sources")
  .refine((v) => v.every((n) => n.length <= 200), "Each source's name can be at most 200 characters");

/** What a source's page can be asked to do: publish it, add a note of context, decide on one. */
export const SourcePageForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("publish") }),
  z.object({
    intent: z.literal("note"),
    body: required("A note", 2000, "Write the note"),
    organisationId: optionalId,
  }),
  z.object({ intent: z.literal("approve-note"), noteId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("decline-note"), noteId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("apply-suggestion"), suggestionId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal("decline-suggestion"), suggestionId: z.string().min(1).max(100) }),
]);
export type SourcePageInput = z.infer<typeof SourcePageForm>;

// ---------------------------------------------------------------- data gaps

export const GapForm = z.object({
  question: required("The question", 300, "Say which question the data cannot answer"),
  kind: z.enum(GAP_KINDS, { error: "Choose what kind of gap it is" }),
  places: text("Places affected", 300),
  placeLevels: list.pipe(z.array(z.enum(PLACE_LEVELS, { error: "Choose place levels from the list" }))),
  groups: list.pipe(z.array(z.enum(GAP_GROUPS, { error: "Choose groups from the list" }))),
  sources: sourceNames,
  shortfall: text("How the sources fall short", 4000),
  hub: optionalId,
  task: optionalId,
  community: optionalId,
  organisationId: optionalId,
});
export type GapInput = z.infer<typeof GapForm>;

export const GapActionForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("endorse"),
    organisationId: optionalId,
    evidenceUrl: httpsUrl("The link to your evidence"),
    note: text("Your note", 1000),
  }),
  z.object({
    intent: z.literal("status"),
    status: z.enum(GAP_STATUSES, { error: "Choose a status from the list" }),
    stepNote: required("The note", 2000, "Say what happened, for the gap's story"),
  }),
  z.object({ intent: z.literal("make-public") }),
]);
export type GapAction = z.infer<typeof GapActionForm>;

/** The register's query string: anything unknown is ignored, never an error. */
export const GapSearchParams = z.object({
  kind: z.enum(GAP_KINDS).optional().catch(undefined),
  level: z.enum(PLACE_LEVELS).optional().catch(undefined),
  group: z.enum(GAP_GROUPS).optional().catch(undefined),
  status: z.enum(GAP_STATUSES).optional().catch(undefined),
  hub: z.string().max(100).optional().catch(undefined),
  source: z.string().max(100).optional().catch(undefined),
  sort: z.enum(["endorsements", "newest"]).optional().catch(undefined),
});
export type GapSearch = z.infer<typeof GapSearchParams>;

// ---------------------------------------------------------------- researchers

export const ResearcherForm = z
  .object({
    skills: list.pipe(z.array(z.enum(RESEARCH_SKILLS, { error: "Choose skills from the list" }))),
    available: z
      .literal("1")
      .optional()
      .transform((v) => v === "1"),
    terms: list.pipe(z.array(z.enum(HELP_TERMS, { error: "Choose terms from the list" }))),
    note: text("A note", 500),
    pledge: z.literal("1").optional(),
  })
  .refine((f) => f.skills.length === 0 || f.pledge === "1", { path: ["pledge"], message: "Tick the pledge to offer your skills" });
export type ResearcherInput = z.infer<typeof ResearcherForm>;

/** The search page's query string: anything unknown is ignored, never an error. */
export const DataSearchParams = z.object({
  q: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim().slice(0, 200)),
  level: z.enum(PLACE_LEVELS).optional().catch(undefined),
  breakdown: z.enum(BREAKDOWNS).optional().catch(undefined),
  access: z.enum(ACCESS_ROUTES).optional().catch(undefined),
});
export type DataSearch = z.infer<typeof DataSearchParams>;
