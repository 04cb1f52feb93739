// The catalogue's facets in plain words: shared by the search page, the form and the model
// (client-safe: no server code here).
import { ACCESS_ROUTES, BREAKDOWNS, FREQUENCIES, PLACE_LEVELS } from "../../db/schema";

export { ACCESS_ROUTES, BREAKDOWNS, FREQUENCIES, PLACE_LEVELS };
export type PlaceLevel = (typeof PLACE_LEVELS)[number];
export type Breakdown = (typeof BREAKDOWNS)[number];
export type AccessRoute = (typeof ACCESS_ROUTES)[number];
export type Frequency = (typeof FREQUENCIES)[number];

export const PLACE_LEVEL_LABELS: Record<PlaceLevel, string> = {
  uk: "The UK (or Great Britain)",
  nation: "Each nation",
  region: "Regions",
  local_authority: "Local authorities",
  small_area: "Smaller areas (wards, output areas)",
};

export const BREAKDOWN_LABELS: Record<Breakdown, string> = {
  age: "Age",
  sex: "Sex",
  disability: "Disability",
  ethnicity: "Ethnicity",
  household_type: "Household type",
  tenure: "Tenure (renting, owning)",
  benefit_receipt: "Benefits received",
  income: "Income",
  employment: "Employment",
  children: "Children",
};

export const ACCESS_LABELS: Record<AccessRoute, string> = {
  open: "Open: anyone can download it",
  safeguarded: "Safeguarded: registration and an agreement (e.g. the UK Data Service)",
  secure: "Secure: only in a trusted research environment",
};

export const FREQUENCY_LABELS: Record<Frequency, string> = {
  continuous: "Continuously",
  monthly: "Every month",
  quarterly: "Every quarter",
  twice_a_year: "Twice a year",
  annual: "Every year",
  every_two_years: "Every two years",
  decennial: "Every ten years",
  irregular: "Now and then",
};
