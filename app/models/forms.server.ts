import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { ACCESS_PROVISIONS, EVENT_KINDS, ORGANISATION_TYPES } from "../../db/schema";
import { fields } from "../utils/forms.server";
import { resolveLocalTime } from "../utils/local-time";
import { UK_REGIONS } from "./organisation-types";

// Form shapes for communities, the directory and the principles (kept out of route
// modules, which are bundled for the browser too).

const list = fields.list();

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
]);

/** The member directory's buttons (facilitators appoint and step back facilitators). */
export const MemberRoleForm = z.discriminatedUnion("intent", [
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
  about: fields.markdown(20_000).default(""),
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
      ctx.addIssue({ code: "custom", path: [r.ok || r.problem !== "missing" ? "momentDate" : "momentTime"], message: r.ok ? "" : r.problem === "missing" ? r.message : "That date does not exist" });
      return z.NEVER;
    }
    return { title: v.title, momentName: v.momentName, momentAt, summary: v.summary, description: v.description };
  });

export const CreateHubForm = z.object({ slug: slugField }).and(HubForm);

export const StewardForm = z.object({ intent: z.literal("steward"), email: fields.email });
export const RemoveStewardForm = z.object({ intent: z.literal("remove-steward"), userId: z.string().min(1).max(100) });
export const UpdateHubForm = z.object({ intent: z.literal("save") }).and(HubForm);

const tagList = z
  .string()
  .max(300, "Keep tags under 300 characters")
  .optional()
  .transform((v) => Array.from(new Set((v ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))).slice(0, 10));

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

// ---------------------------------------------------------------- events


const httpsUrl = (label: string) =>
  z
    .string()
    .trim()
    .max(500, `${label} is too long`)
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(v), `Enter ${label.toLowerCase()} starting with https://`);

export const EventForm = z
  .object({
    kind: z.enum(EVENT_KINDS, { error: "Choose the kind of event" }),
    title: z.string({ error: "Give the event a title" }).trim().min(3, "Use at least 3 characters").max(200, "Use at most 200 characters"),
    summary: z.string().trim().max(300, "Keep the summary under 300 characters").default(""),
    description: fields.markdown(20_000).default(""),
    timeZone: z
      .string()
      .trim()
      .max(60, "Choose a time zone from the list, like Europe/London")
      .default("Europe/London")
      .refine((v) => IANAZone.isValidZone(v), "Choose a time zone from the list, like Europe/London"),
    startDate: z.string({ error: "Enter the date" }).regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD"),
    startTime: z.string({ error: "Enter the start time" }).regex(/^\d{2}:\d{2}$/, "Enter the start time as HH:MM"),
    endDate: z.string().max(10, "Enter the date as YYYY-MM-DD").regex(/^(\d{4}-\d{2}-\d{2})?$/, "Enter the date as YYYY-MM-DD").optional().transform((v) => v || null),
    endTime: z.string({ error: "Enter the end time" }).regex(/^\d{2}:\d{2}$/, "Enter the end time as HH:MM"),
    // Asked only on the night the clocks go back, when the time typed happens twice.
    startWhich: z.enum(["first", "second", ""]).optional().transform((v) => v || null),
    endWhich: z.enum(["first", "second", ""]).optional().transform((v) => v || null),
    capacity: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100_000), "Capacity must be a whole number of at least 1, or empty for no limit")
      .transform((v) => (v === null ? null : Number(v))),
    registrationOpens: z.string().max(40, "Enter a date and time").optional().transform((v) => v || null),
    registrationCloses: z.string().max(40, "Enter a date and time").optional().transform((v) => v || null),
    joinUrl: httpsUrl("The joining link"),
    venue: z.string().trim().max(500, "Keep the address under 500 characters").optional().transform((v) => v || null),
    accessProvisions: list.pipe(z.array(z.enum(ACCESS_PROVISIONS, { error: "Choose provisions from the list" }))),
    accessOther: z.string().trim().max(300, "Keep this under 300 characters").optional().transform((v) => v || null),
    communityId: z.string().max(100).optional().transform((v) => v || null),
    hubId: z.string().max(100).optional().transform((v) => v || null),
    repeat: z.enum(["none", "week", "fortnight", "month"]).default("none"),
    repeatCount: z
      .string()
      .max(10, "Repeat between 2 and 26 times")
      .optional()
      .transform((v) => (v ? Number(v) : 4))
      .refine((n) => Number.isInteger(n) && n >= 2 && n <= 26, "Repeat between 2 and 26 times"),
    confirmClash: z.literal("1").optional(),
  })
  .transform((v, ctx) => {
    // A time that does not exist that night is refused beside its field; one that happens
    // twice is asked about (the form then shows "the first or the second?").
    const resolve = (date: string, time: string, which: "first" | "second" | null, fields: { date: string; time: string; which: string }) => {
      const r = resolveLocalTime(date, time, v.timeZone, which);
      if (r.ok) return r.at;
      ctx.addIssue({ code: "custom", path: [r.problem === "twice" ? fields.which : r.problem === "missing" ? fields.time : fields.date], message: r.message });
      return null;
    };
    const startsAt = resolve(v.startDate, v.startTime, v.startWhich, { date: "startDate", time: "startTime", which: "startWhich" });
    const endsAt = resolve(v.endDate ?? v.startDate, v.endTime, v.endWhich, { date: v.endDate ? "endDate" : "startDate", time: "endTime", which: "endWhich" });
    if (startsAt && endsAt && endsAt <= startsAt) ctx.addIssue({ code: "custom", path: ["endTime"], message: "The end must be after the start" });
    const parseWindow = (value: string | null, field: string) => {
      if (!value) return null;
      const [date, time] = value.split("T");
      const r = /^\d{4}-\d{2}-\d{2}$/.test(date ?? "") && /^\d{2}:\d{2}(:\d{2})?$/.test(time ?? "") ? resolveLocalTime(date, time, v.timeZone) : null;
      // A repeated time here takes its first occurrence: registration then opens or closes
      // an hour early at most, never late.
      if (r && (r.ok || r.problem === "twice")) return r.ok ? r.at : r.first;
      ctx.addIssue({ code: "custom", path: [field], message: r ? r.message : "Enter a date and time" });
      return null;
    };
    const registrationOpensAt = parseWindow(v.registrationOpens, "registrationOpens");
    const registrationClosesAt = parseWindow(v.registrationCloses, "registrationCloses");
    if (registrationOpensAt && registrationClosesAt && registrationClosesAt <= registrationOpensAt) {
      ctx.addIssue({ code: "custom", path: ["registrationCloses"], message: "Registration must close after it opens" });
    }
    if (startsAt && registrationClosesAt && registrationClosesAt > startsAt) {
      ctx.addIssue({ code: "custom", path: ["registrationCloses"], message: "Registration must close by the start of the event" });
    }
    if (!startsAt || !endsAt) return z.NEVER;
    return {
      input: {
        kind: v.kind,
        title: v.title,
        summary: v.summary,
        description: v.description,
        startsAt,
        endsAt,
        timeZone: v.timeZone,
        capacity: v.capacity,
        registrationOpensAt,
        registrationClosesAt,
        joinUrl: v.joinUrl,
        venue: v.venue,
        accessProvisions: v.accessProvisions,
        accessOther: v.accessOther,
        communityId: v.communityId,
        hubId: v.hubId,
      },
      repeat: v.repeat === "none" ? null : { every: v.repeat, count: v.repeatCount },
      confirmClash: v.confirmClash === "1",
    };
  });

export const RegistrationForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("register"), accessNeeds: list, accessNotes: z.string().max(2000, "Keep this under 2,000 characters").optional(), wholeSeries: z.literal("1").optional() }),
  z.object({ intent: z.literal("cancel") }),
]);

export const OrganiserActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("publish") }),
  z.object({ intent: z.literal("cancel-event") }),
  z.object({ intent: z.literal("duplicate") }),
  z.object({
    intent: z.literal("message"),
    subject: z.string({ error: "Write a subject" }).trim().min(3, "Write a subject").max(150, "Keep the subject under 150 characters"),
    body: z.string({ error: "Write your message" }).trim().min(3, "Write your message").max(10_000, "Keep the message under 10,000 characters"),
  }),
  z.object({ intent: z.literal("materials"), materials: fields.markdown(20_000).default(""), recordingUrl: httpsUrl("The recording link") }),
  z.object({ intent: z.literal("attendance"), present: list }),
]);

export const EventFiltersForm = z.object({
  when: z.enum(["upcoming", "past"]).optional().catch(undefined),
  kind: z.enum(EVENT_KINDS).optional().catch(undefined),
  community: z.string().max(100).optional(),
  hub: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
});

// ---------------------------------------------------------------- threads and feeds

const messageId = z.string().max(100).default("");
const returnTo = z.string().max(500).optional();
/** The no-JavaScript thread forms. A message's own limit (and its message) is the thread model's. */
export const ThreadActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("post"), body: z.string().max(50_000, "That message is far too long").default(""), returnTo }),
  z.object({ intent: z.literal("edit"), messageId, body: z.string().max(50_000, "That message is far too long").default(""), returnTo }),
  z.object({ intent: z.literal("delete"), messageId, returnTo }),
  z.object({ intent: z.literal("report"), messageId, reason: z.string().max(1000, "Keep the reason under 1,000 characters").default(""), returnTo }),
  z.object({ intent: z.literal("remove"), messageId, returnTo }),
  z.object({ intent: z.literal("dismiss"), messageId, returnTo }),
]);

export const FeedTokenForm = z.object({ intent: z.enum(["revoke", "regenerate"], { error: "That is not something this page can do." }) });
