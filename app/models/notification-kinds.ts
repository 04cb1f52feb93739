// The kinds of news a person can choose mail for, in plain words, and how often each is
// mailed unless they choose otherwise. Client-safe: the settings page and the models
// read the same table. Mail about a person's own registrations, places, reminders,
// claims and account is not a kind: it is always sent (README "What mail Convene sends").
import { CADENCES, type Cadence, NEWS_KINDS, type NewsKind } from "../../db/schema";

export { CADENCES, type Cadence, NEWS_KINDS, type NewsKind };

export const NEWS_KIND_INFO: Record<NewsKind, { label: string; hint: string; byDefault: Cadence }> = {
  events: {
    label: "Events in what you follow",
    hint: "A new event, or a change to one, in a community, hub, organisation or series you follow.",
    byDefault: "weekly",
  },
  hub_tasks: {
    label: "Research tasks on hubs you follow",
    hint: "A task claimed, published or needing help.",
    byDefault: "weekly",
  },
  my_tasks: {
    label: "Tasks you lead or help with",
    hint: "When someone else moves, releases or reassigns them.",
    byDefault: "weekly",
  },
  data_gaps: {
    label: "Data gaps you raised or endorsed",
    hint: "When a data steward moves one on (taken to the data's owner, acknowledged, being addressed, closed).",
    byDefault: "weekly",
  },
  mentions: {
    label: "Someone mentions you",
    hint: "When someone writes @ and your name in a discussion you can read.",
    byDefault: "weekly",
  },
  join_requests: {
    label: "Requests waiting for you",
    hint: "Someone asks to join a community you facilitate or an organisation you run.",
    byDefault: "immediately",
  },
  help_offers: {
    label: "Offers of help",
    hint: "Someone offers to help with a task you lead, or a lead answers your offer.",
    byDefault: "immediately",
  },
  my_payments: {
    label: "Your payments for taking part",
    hint: "When you can claim for an event you attended, and each step of your claim (a question, approval, payment).",
    byDefault: "immediately",
  },
  payment_queue: {
    label: "Claims waiting for you to approve",
    hint: "A claim for payment made, or a question answered, on an event whose payments you approve (organisers and the payments team only).",
    byDefault: "daily",
  },
  data_review: {
    label: "The data catalogue, for data stewards",
    hint: "An entry proposed, a note of context or a suggested change waiting for a data steward (stewards and admins only).",
    byDefault: "daily",
  },
  reports: {
    label: "Reports waiting for you",
    hint: "Someone reports a message in a discussion you moderate.",
    byDefault: "immediately",
  },
  harm_reports: {
    label: "Harm reported after an event",
    hint: "Someone says something at an event you run (or, for Convene's admins, any event) caused harm or upset.",
    byDefault: "immediately",
  },
};

export const CADENCE_LABEL: Record<Cadence, string> = {
  immediately: "Straight away, one email each time",
  daily: "In a daily summary",
  weekly: "In a weekly summary",
  never: "No email (still listed on your notifications page)",
};

export const isNewsKind = (v: unknown): v is NewsKind => typeof v === "string" && (NEWS_KINDS as readonly string[]).includes(v);
export const isCadence = (v: unknown): v is Cadence => typeof v === "string" && (CADENCES as readonly string[]).includes(v);

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
