// The catalogue's facets in plain words: shared by the search page, the form and the model
// (client-safe: no server code here).
import { ACCESS_ROUTES, BREAKDOWNS, FREQUENCIES, GAP_GROUPS, GAP_KINDS, GAP_STATUSES, HELP_TERMS, PLACE_LEVELS, RESEARCH_SKILLS } from "../../db/schema";

export { ACCESS_ROUTES, BREAKDOWNS, FREQUENCIES, GAP_GROUPS, GAP_KINDS, GAP_STATUSES, HELP_TERMS, PLACE_LEVELS, RESEARCH_SKILLS };
export type PlaceLevel = (typeof PLACE_LEVELS)[number];
export type Breakdown = (typeof BREAKDOWNS)[number];
export type AccessRoute = (typeof ACCESS_ROUTES)[number];
export type Frequency = (typeof FREQUENCIES)[number];
export type GapKind = (typeof GAP_KINDS)[number];
export type GapStatus = (typeof GAP_STATUSES)[number];
export type GapGroup = (typeof GAP_GROUPS)[number];
export type ResearchSkill = (typeof RESEARCH_SKILLS)[number];
export type HelpTerm = (typeof HELP_TERMS)[number];

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

export const GAP_KIND_LABELS: Record<GapKind, string> = {
  thematic: "A subject the data does not cover",
  geographic: "Places the data does not reach",
  demographic: "People the data does not count",
};

export const GAP_STATUS_LABELS: Record<GapStatus, string> = {
  raised: "Raised",
  taken_to_owner: "Taken to the data's owner",
  acknowledged: "Acknowledged by the owner",
  being_addressed: "Being addressed",
  closed: "Closed",
};

export const GAP_GROUP_LABELS: Record<GapGroup, string> = {
  disabled_people: "Disabled people",
  children: "Children",
  older_people: "Older people",
  ethnic_minorities: "Ethnic minority groups",
  migrants_nrpf: "Migrants, people with no recourse to public funds",
  homeless_temporary: "People who are homeless or in temporary accommodation",
  carers: "Unpaid carers",
  lone_parents: "Lone parents",
  rural: "People in rural areas",
  deep_poverty: "People in deep poverty",
};

export const SKILL_LABELS: Record<ResearchSkill, string> = {
  microsimulation: "Micro-simulation",
  survey_analysis: "Survey analysis",
  qualitative: "Qualitative research",
  mapping_gis: "Mapping and GIS",
  data_visualisation: "Data visualisation",
  econometrics: "Econometrics",
  lived_experience_research: "Lived-experience research",
  statistics: "Statistics",
  policy_analysis: "Policy analysis",
};

export const TERMS_LABELS: Record<HelpTerm, string> = {
  pro_bono: "Unpaid (pro bono)",
  paid: "Paid",
  student_project: "As a student project",
};
