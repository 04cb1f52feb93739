import { z } from "zod";
import { ACCESS_ROUTES, BREAKDOWNS, FREQUENCIES, PLACE_LEVELS } from "../models/data-source-facets";
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

export const PublishSourceForm = z.object({ intent: z.enum(["publish"], { error: "That is not something this page can do." }) });

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
