import type { OrganisationType } from "../../db/schema";

// Organisations' reference data and engagement levels: plain data and pure rules, shared by
// forms, pages and models (no server code here).

export const UK_REGIONS = [
  "UK-wide",
  "North East",
  "North West",
  "Yorkshire and the Humber",
  "East Midlands",
  "West Midlands",
  "East of England",
  "London",
  "South East",
  "South West",
  "Wales",
  "Scotland",
  "Northern Ireland",
] as const;

export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  charity: "Charity",
  think_tank: "Think tank",
  advice_service: "Advice service",
  food_bank_network: "Food bank network",
  university: "University or research centre",
  local_authority: "Local authority",
  lived_experience_group: "Lived-experience group",
  funder: "Funder",
  frontline_service: "Frontline service",
  other: "Other",
};

// From the convening model, lowest to highest. Only "anchor" is set by hand; the rest
// follow from what the organisation does on Convene.
export const ENGAGEMENT_LEVELS = ["user", "member", "contributor", "connector", "anchor"] as const;
export type EngagementLevel = (typeof ENGAGEMENT_LEVELS)[number];
export const ENGAGEMENT_LABELS: Record<EngagementLevel, { label: string; meaning: string }> = {
  user: { label: "User", meaning: "on Convene" },
  member: { label: "Member", meaning: "has signed the shared principles" },
  contributor: { label: "Contributor", meaning: "leads or helps with research tasks" },
  connector: { label: "Connector", meaning: "hosts events" },
  anchor: { label: "Anchor partner", meaning: "set by Convene's admins" },
};

export type EngagementFacts = { anchorPartner: boolean; signed: boolean; contributes: boolean; hosts: boolean };

/** The highest level whose condition holds. */
export function engagementLevel(f: EngagementFacts): EngagementLevel {
  if (f.anchorPartner) return "anchor";
  if (f.hosts) return "connector";
  if (f.contributes) return "contributor";
  if (f.signed) return "member";
  return "user";
}
