import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });
// Sealed (encrypted) values: `pg` returns a Buffer for bytea, PGlite a Uint8Array; both become a Buffer.
const sealedBytes = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
  toDriver: (v) => v,
});

// ---------------------------------------------------------------- people

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    // Stored lower-cased; the unique index is what makes signup race-free.
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    emailVerifiedAt: tstz("email_verified_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);
export type User = typeof users.$inferSelect;

// Lucia's session table. `id` is the SHA-256 of the cookie's token, never the token
// itself (STACK.md rule 5; https://lucia-auth.com/sessions/basic).
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: tstz("expires_at").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);
export type Session = typeof sessions.$inferSelect;

export const PLATFORM_ROLES = ["organiser", "admin", "data_steward", "payments"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

// Every signed-in person is a member; these rows grant what goes beyond it.
export const userRoles = pgTable(
  "user_roles",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<PlatformRole>().notNull(),
    grantedBy: text("granted_by").references(() => users.id, { onDelete: "set null" }),
    grantedAt: tstz("granted_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);
export type UserRole = typeof userRoles.$inferSelect;

export const AUTH_TOKEN_PURPOSES = ["verify_email", "reset_password", "sign_in"] as const;
export type AuthTokenPurpose = (typeof AUTH_TOKEN_PURPOSES)[number];

// Single-use emailed links. Only the hash is stored, like sessions.
export const authTokens = pgTable(
  "auth_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").$type<AuthTokenPurpose>().notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("auth_tokens_token_hash_key").on(t.tokenHash)],
);
export type AuthToken = typeof authTokens.$inferSelect;

// ---------------------------------------------------------------- organisations

export const ORGANISATION_TYPES = [
  "charity",
  "think_tank",
  "advice_service",
  "food_bank_network",
  "university",
  "local_authority",
  "lived_experience_group",
  "funder",
  "frontline_service",
  "other",
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const organisations = pgTable(
  "organisations",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    type: text("type").$type<OrganisationType>().notNull(),
    about: text("about").notNull().default(""),
    regions: text("regions").array().notNull().default(sql`'{}'::text[]`),
    focusAreas: text("focus_areas").array().notNull().default(sql`'{}'::text[]`),
    website: text("website"),
    // The one engagement level that cannot be derived from data: set by admins.
    anchorPartner: boolean("anchor_partner").notNull().default(false),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("organisations_slug_key").on(t.slug)],
);
export type Organisation = typeof organisations.$inferSelect;

export const organisationMemberships = pgTable(
  "organisation_memberships",
  {
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<"member" | "admin">().notNull().default("member"),
    status: text("status").$type<"pending" | "active">().notNull().default("pending"),
    requestedAt: tstz("requested_at").notNull().defaultNow(),
    approvedAt: tstz("approved_at"),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.userId] }), index("organisation_memberships_user_idx").on(t.userId)],
);
export type OrganisationMembership = typeof organisationMemberships.$inferSelect;

// ---------------------------------------------------------------- email outbox

export type OutboxAttachment = { filename: string; content: string; contentType: string };

// Written in the same transaction as the change that causes the mail; delivered by
// app/email/worker.server.ts. The row id doubles as Resend's Idempotency-Key.
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    attachments: jsonb("attachments").$type<OutboxAttachment[]>().notNull().default([]),
    /** Extra headers (List-Unsubscribe and List-Unsubscribe-Post on news mail). */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    status: text("status").$type<"pending" | "sending" | "sent" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tstz("next_attempt_at").notNull().defaultNow(),
    lockedUntil: tstz("locked_until"),
    lastError: text("last_error"),
    providerId: text("provider_id"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    sentAt: tstz("sent_at"),
  },
  (t) => [index("email_outbox_due_idx").on(t.status, t.nextAttemptAt), index("email_outbox_to_idx").on(t.toAddress)],
);
export type OutboxEmail = typeof emailOutbox.$inferSelect;

// ---------------------------------------------------------------- platform plumbing

// One row per job per period: inserting it is what entitles a process to run the job,
// so several processes run each job once per period (app/jobs/scheduler.server.ts).
export const jobRuns = pgTable(
  "job_runs",
  {
    job: text("job").notNull(),
    periodKey: text("period_key").notNull(),
    startedAt: tstz("started_at").notNull().defaultNow(),
    finishedAt: tstz("finished_at"),
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.job, t.periodKey] })],
);

export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});

// rate-limiter-flexible's RateLimiterPostgres table (its own DDL, created here so the
// app never runs DDL outside migrations).
export const rateLimits = pgTable("rate_limits", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});

// @socket.io/postgres-adapter sends payloads over 8000 bytes through this table
// (STACK.md gotcha 5).
export const socketIoAttachments = pgTable("socket_io_attachments", {
  id: bigserial("id", { mode: "bigint" }).unique(),
  createdAt: tstz("created_at").defaultNow(),
  payload: bytea("payload"),
});

// ---------------------------------------------------------------- communities of practice

export const communities = pgTable(
  "communities",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    summary: text("summary").notNull().default(""),
    about: text("about").notNull().default(""), // Markdown
    /** `about` rendered and sanitised when saved (null until rendered: see app/models/rendered-text.server.ts). */
    aboutHtml: text("about_html"),
    joinPolicy: text("join_policy").$type<"open" | "approval">().notNull().default("open"),
    visibility: text("visibility").$type<"public" | "private">().notNull().default("public"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("communities_slug_key").on(t.slug)],
);
export type Community = typeof communities.$inferSelect;

// One row per person per community: a pending request or an active membership. The
// primary key is what makes joining twice a no-op.
export const communityMemberships = pgTable(
  "community_memberships",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<"member" | "facilitator">().notNull().default("member"),
    status: text("status").$type<"pending" | "active">().notNull(),
    requestMessage: text("request_message"),
    requestedAt: tstz("requested_at").notNull().defaultNow(),
    joinedAt: tstz("joined_at"),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.userId] }), index("community_memberships_user_idx").on(t.userId)],
);
export type CommunityMembership = typeof communityMemberships.$inferSelect;

export const communityInvitations = pgTable(
  "community_invitations",
  {
    id: text("id").primaryKey(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    usedBy: text("used_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("community_invitations_token_key").on(t.tokenHash), index("community_invitations_email_idx").on(t.email)],
);

// ---------------------------------------------------------------- the shared principles

export const principlesVersions = pgTable("principles_versions", {
  version: integer("version").primaryKey(),
  title: text("title").notNull(),
  body: text("body").notNull(), // Markdown
  publishedAt: tstz("published_at").notNull().defaultNow(),
});
export type PrinciplesVersion = typeof principlesVersions.$inferSelect;

export const principleSignatures = pgTable(
  "principle_signatures",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    version: integer("version")
      .notNull()
      .references(() => principlesVersions.version),
    signedAt: tstz("signed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.version] })],
);

// An organisation's signature, made by one of its admins. The organisation keeps it if
// that person later deletes their account (signed_by becomes null).
export const organisationSignatures = pgTable(
  "organisation_signatures",
  {
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    version: integer("version")
      .notNull()
      .references(() => principlesVersions.version),
    signedBy: text("signed_by").references(() => users.id, { onDelete: "set null" }),
    signedAt: tstz("signed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.version] })],
);

// ---------------------------------------------------------------- moment hubs and the research tracker

export const hubs = pgTable(
  "hubs",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    /** The political moment, e.g. "Autumn Budget 2026", and when it happens. */
    momentName: text("moment_name").notNull(),
    momentAt: tstz("moment_at").notNull(),
    summary: text("summary").notNull().default(""),
    description: text("description").notNull().default(""), // Markdown
    /** `description` rendered when saved, as sanitised HTML and as plain text (feeds, emails). */
    descriptionHtml: text("description_html"),
    descriptionText: text("description_text"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("hubs_slug_key").on(t.slug)],
);
export type Hub = typeof hubs.$inferSelect;

export const hubStewards = pgTable(
  "hub_stewards",
  {
    hubId: text("hub_id")
      .notNull()
      .references(() => hubs.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    appointedAt: tstz("appointed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.hubId, t.userId] })],
);

export const TASK_STATUSES = ["open", "claimed", "in_progress", "in_review", "published", "dropped"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

// One row per research task. The lead is a single pair of columns, and a claim is one
// conditional UPDATE (status = 'open' AND lead IS NULL), so two leads cannot exist.
export const tasks = pgTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    hubId: text("hub_id")
      .notNull()
      .references(() => hubs.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    question: text("question").notNull().default(""),
    description: text("description").notNull().default(""), // Markdown
    descriptionHtml: text("description_html"),
    dataSources: text("data_sources").notNull().default(""),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    dueDate: text("due_date"), // YYYY-MM-DD, a calendar date in UK time
    status: text("status").$type<TaskStatus>().notNull().default("open"),
    leadUserId: text("lead_user_id").references(() => users.id, { onDelete: "set null" }),
    leadOrgId: text("lead_org_id").references(() => organisations.id, { onDelete: "set null" }),
    outputUrl: text("output_url"),
    mergedIntoId: text("merged_into_id"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("tasks_hub_idx").on(t.hubId),
    index("tasks_lead_user_idx").on(t.leadUserId),
    index("tasks_lead_org_idx").on(t.leadOrgId),
    index("tasks_title_trgm_idx").using("gin", sql`${t.title} gin_trgm_ops`),
    check("tasks_lead_while_claimed", sql`${t.status} NOT IN ('claimed', 'in_progress', 'in_review') OR ${t.leadUserId} IS NOT NULL`),
  ],
);
export type Task = typeof tasks.$inferSelect;

export const taskCollaborators = pgTable(
  "task_collaborators",
  {
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organisationId: text("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    joinedAt: tstz("joined_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.userId] }), index("task_collaborators_user_idx").on(t.userId)],
);

// Every change to a task: who (null once their account is deleted), when, what.
export const taskHistory = pgTable(
  "task_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind").notNull(),
    summary: text("summary").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [index("task_history_task_idx").on(t.taskId, t.createdAt)],
);
export type TaskHistoryEntry = typeof taskHistory.$inferSelect;

// ---------------------------------------------------------------- events and webinars

export const EVENT_KINDS = ["webinar", "workshop", "meeting"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const ACCESS_PROVISIONS = ["live_captions", "bsl_interpreter", "step_free", "hearing_loop", "quiet_room", "other"] as const;
export type AccessProvision = (typeof ACCESS_PROVISIONS)[number];

export const eventSeries = pgTable("event_series", {
  id: text("id").primaryKey(),
  rrule: text("rrule").notNull(), // RFC 5545 RRULE, e.g. FREQ=WEEKLY;COUNT=4
  createdAt: tstz("created_at").notNull().defaultNow(),
});

export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    kind: text("kind").$type<EventKind>().notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    description: text("description").notNull().default(""), // Markdown
    descriptionHtml: text("description_html"),
    descriptionText: text("description_text"),
    startsAt: tstz("starts_at").notNull(),
    endsAt: tstz("ends_at").notNull(),
    timeZone: text("time_zone").notNull().default("Europe/London"),
    capacity: integer("capacity"), // null: unlimited
    registrationOpensAt: tstz("registration_opens_at"),
    registrationClosesAt: tstz("registration_closes_at"),
    joinUrl: text("join_url"), // shown to confirmed registrants only
    venue: text("venue"),
    accessProvisions: text("access_provisions").array().notNull().default(sql`'{}'::text[]`),
    accessOther: text("access_other"),
    communityId: text("community_id").references(() => communities.id, { onDelete: "set null" }),
    hubId: text("hub_id").references(() => hubs.id, { onDelete: "set null" }),
    state: text("state").$type<"draft" | "published" | "cancelled">().notNull().default("draft"),
    seriesId: text("series_id").references(() => eventSeries.id, { onDelete: "set null" }),
    /** For an occurrence of a series: where the series' rule put it (iCalendar RECURRENCE-ID), kept when it is moved. */
    originalStartsAt: tstz("original_starts_at"),
    /** RFC 5545 SEQUENCE: bumped by every change a calendar must pick up. */
    sequence: integer("sequence").notNull().default(0),
    materials: text("materials").notNull().default(""), // Markdown, added after the event
    materialsHtml: text("materials_html"),
    recordingUrl: text("recording_url"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    cancelledAt: tstz("cancelled_at"),
  },
  (t) => [
    uniqueIndex("events_slug_key").on(t.slug),
    index("events_starts_idx").on(t.state, t.startsAt),
    // Listings (/events, home, feeds): listed events in time order, read until a page is full.
    index("events_listed_idx").on(t.startsAt).where(sql`${t.state} in ('published', 'cancelled')`),
    index("events_community_idx").on(t.communityId),
    index("events_hub_idx").on(t.hubId),
    index("events_series_idx").on(t.seriesId),
    check("events_ends_after_start", sql`${t.endsAt} > ${t.startsAt}`),
    check("events_capacity_positive", sql`${t.capacity} IS NULL OR ${t.capacity} > 0`),
  ],
);
export type Event = typeof events.$inferSelect;

export const eventOrganisers = pgTable(
  "event_organisers",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] }), index("event_organisers_user_idx").on(t.userId)],
);

// One row per person per event. `queue_position` comes from a sequence, taken while the
// event row is locked, so it is the order in which registrations arrived.
export const eventRegistrations = pgTable(
  "event_registrations",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status").$type<"confirmed" | "waitlisted" | "cancelled">().notNull(),
    queuePosition: bigserial("queue_position", { mode: "number" }).notNull(),
    accessNeeds: text("access_needs").array().notNull().default(sql`'{}'::text[]`),
    accessNotes: text("access_notes"),
    attended: boolean("attended"),
    // The emailed calendar invitation this person holds: the SEQUENCE last sent to them
    // (null: none sent yet) and whether it stands (REQUEST) or was withdrawn (CANCEL). Their
    // own sequence, never below the event's, so that one person's cancellation does not
    // change the event for everyone else's calendars.
    invitationSequence: integer("invitation_sequence"),
    invitationHeld: boolean("invitation_held").notNull().default(false),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("event_registrations_event_user_key").on(t.eventId, t.userId),
    index("event_registrations_queue_idx").on(t.eventId, t.status, t.queuePosition),
    index("event_registrations_user_idx").on(t.userId),
  ],
);
export type EventRegistration = typeof eventRegistrations.$inferSelect;

// A reminder is sent once per person per event per kind: the primary key decides.
export const eventRemindersSent = pgTable(
  "event_reminders_sent",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"24h" | "1h">().notNull(),
    sentAt: tstz("sent_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId, t.kind] })],
);

// ---------------------------------------------------------------- calendar feeds

// A person's private calendar feed. The token (128+ random bits) is shown once; only its
// SHA-256 is kept. One feed per person: regenerating replaces the hash, revoking deletes it.
export const calendarFeeds = pgTable("calendar_feeds", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: tstz("created_at").notNull().defaultNow(),
  lastFetchedAt: tstz("last_fetched_at"),
});

// ---------------------------------------------------------------- live threads

export const THREAD_KINDS = ["hub", "task", "community", "event"] as const;
export type ThreadKind = (typeof THREAD_KINDS)[number];

// One thread per hub, task, community or event, made when first needed. `last_seq` is the
// number of the thread's latest message: a post takes the next one by updating this row,
// so numbers are assigned one at a time under the row's lock, without gaps.
export const threads = pgTable(
  "threads",
  {
    id: text("id").primaryKey(),
    subjectKind: text("subject_kind").$type<ThreadKind>().notNull(),
    subjectId: text("subject_id").notNull(),
    lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
    /** Counts every change in the thread (posts, edits, deletions, removals), for catch-up. */
    lastChange: bigint("last_change", { mode: "number" }).notNull().default(0),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("threads_subject_key").on(t.subjectKind, t.subjectId)],
);
export type Thread = typeof threads.$inferSelect;

export const threadMessages = pgTable(
  "thread_messages",
  {
    id: text("id").primaryKey(),
    threadId: text("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** The thread's change counter when this message was last posted, edited or taken down. */
    changeNo: bigint("change_no", { mode: "number" }).notNull().default(0),
    /** Null once the author's account is deleted ("a former member"). */
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(), // Markdown, as written
    html: text("html").notNull(), // rendered and sanitised once, at write time
    createdAt: tstz("created_at").notNull().defaultNow(),
    editedAt: tstz("edited_at"),
    deletedAt: tstz("deleted_at"), // by its author
    removedAt: tstz("removed_at"), // by a moderator
    removedBy: text("removed_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("thread_messages_thread_seq_key").on(t.threadId, t.seq),
    index("thread_messages_thread_change_idx").on(t.threadId, t.changeNo),
    index("thread_messages_author_idx").on(t.authorId),
  ],
);
export type ThreadMessage = typeof threadMessages.$inferSelect;

export const messageReports = pgTable(
  "message_reports",
  {
    id: text("id").primaryKey(),
    messageId: text("message_id")
      .notNull()
      .references(() => threadMessages.id, { onDelete: "cascade" }),
    reporterId: text("reporter_id").references(() => users.id, { onDelete: "set null" }),
    reason: text("reason").notNull().default(""),
    createdAt: tstz("created_at").notNull().defaultNow(),
    resolvedAt: tstz("resolved_at"),
    resolvedBy: text("resolved_by").references(() => users.id, { onDelete: "set null" }),
    resolution: text("resolution").$type<"removed" | "dismissed">(),
  },
  (t) => [uniqueIndex("message_reports_message_reporter_key").on(t.messageId, t.reporterId), index("message_reports_open_idx").on(t.resolvedAt)],
);

// ---------------------------------------------------------------- push updates

export const FOLLOW_KINDS = ["community", "hub", "organisation", "series"] as const;
export type FollowKind = (typeof FOLLOW_KINDS)[number];

// What a person follows. Joining a community, registering for an event (its series),
// leading or helping with a task (its hub) and joining an organisation follow too
// (app/models/follows.server.ts). `subject_id` points at the row of its kind.
export const follows = pgTable(
  "follows",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    subjectKind: text("subject_kind").$type<FollowKind>().notNull(),
    subjectId: text("subject_id").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.subjectKind, t.subjectId] }), index("follows_subject_idx").on(t.subjectKind, t.subjectId)],
);
export type Follow = typeof follows.$inferSelect;

// The kinds of news a person chooses mail for (app/models/notification-kinds.ts).
export const NEWS_KINDS = [
  "events",
  "hub_tasks",
  "my_tasks",
  "data_gaps",
  "mentions",
  "join_requests",
  "help_offers",
  "my_payments",
  "payment_queue",
  "data_review",
  "reports",
  "harm_reports",
] as const;
export type NewsKind = (typeof NEWS_KINDS)[number];
export const CADENCES = ["immediately", "daily", "weekly", "never"] as const;
export type Cadence = (typeof CADENCES)[number];

// One row per person and thing that happened, written in the transaction of the change
// (app/models/notifications.server.ts). An unread row not yet mailed is updated by later
// changes to the same thing (`subject_key`) instead of adding a row: one entry per thing.
export const notifications = pgTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<NewsKind>().notNull(),
    /** The thing it is about, for coalescing: "event:<id>", "task:<id>", "message:<id>" … */
    subjectKey: text("subject_key").notNull(),
    /** Where it happened, for grouping: an event, a hub, a community or an organisation. */
    spaceKind: text("space_kind").$type<"event" | "hub" | "community" | "organisation" | "convene">().notNull(),
    spaceTitle: text("space_title").notNull(),
    text: text("text").notNull(),
    path: text("path").notNull(),
    changes: integer("changes").notNull().default(1),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    readAt: tstz("read_at"),
    /** When it went out by mail (at once or in a digest); null while it may still be mailed. */
    mailedAt: tstz("mailed_at"),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.updatedAt),
    index("notifications_subject_idx").on(t.subjectKey).where(sql`read_at is null`),
    index("notifications_unread_idx").on(t.userId).where(sql`read_at is null`),
    uniqueIndex("notifications_pending_key").on(t.userId, t.subjectKey).where(sql`read_at is null and mailed_at is null`),
  ],
);
export type Notification = typeof notifications.$inferSelect;

// A person's choice of mail per kind of news; a missing row means the kind's default.
export const emailPreferences = pgTable(
  "email_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<NewsKind>().notNull(),
    cadence: text("cadence").$type<Cadence>().notNull(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

// When a person's digests go out: weekday (1 = Monday … 7 = Sunday) and hour, in their zone.
export const digestSettings = pgTable("digest_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  weekday: integer("weekday").notNull().default(1),
  hour: integer("hour").notNull().default(8),
  timeZone: text("time_zone").notNull().default("Europe/London"),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});

// A digest is sent once per person per period: inserting this row, in the transaction that
// enqueues the mail, is what entitles a process to send it.
export const digestsSent = pgTable(
  "digests_sent",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    cadence: text("cadence").$type<"daily" | "weekly">().notNull(),
    periodKey: text("period_key").notNull(),
    items: integer("items").notNull(),
    sentAt: tstz("sent_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.cadence, t.periodKey] })],
);

// One-click unsubscribe (RFC 8058): one token per person and kind. The token is derived
// from SESSION_SECRET and a random salt kept here (so every mail of that kind carries the
// same link); only its SHA-256 is stored for the lookup.
export const unsubscribeTokens = pgTable(
  "unsubscribe_tokens",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** A kind of news, or "daily"/"weekly" for the summaries. */
    kind: text("kind").$type<NewsKind | "daily" | "weekly">().notNull(),
    salt: text("salt").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

// "Still coming?": a day before a full event with a waitlist, each confirmed person is asked
// once. The token in their mail (only its SHA-256 kept) answers without logging in, once.
export const placeChecks = pgTable(
  "place_checks",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    sentAt: tstz("sent_at").notNull().defaultNow(),
    answer: text("answer").$type<"kept" | "released">(),
    answeredAt: tstz("answered_at"),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);

// Feedback after an event. A request per attendee (its token, hashed, opens the form
// without logging in); `answered` is a flag, not a time, so that an anonymous answer cannot
// be matched to its person by when it came.
export const feedbackRequests = pgTable(
  "feedback_requests",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    sentAt: tstz("sent_at").notNull().defaultNow(),
    answered: boolean("answered").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);

export const ACCESSIBLE_ANSWERS = ["yes", "partly", "no", "not_needed"] as const;

// An answer. `user_id` is set only when its author chose to put their name to it; an
// anonymous answer holds nothing that identifies them (its date only, not its time).
export const eventFeedback = pgTable(
  "event_feedback",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    useful: integer("useful").notNull(),
    accessible: text("accessible").$type<(typeof ACCESSIBLE_ANSWERS)[number]>().notNull(),
    gotInTheWay: text("got_in_the_way").notNull().default(""),
    harm: text("harm").notNull().default(""),
    anythingElse: text("anything_else").notNull().default(""),
    answeredOn: text("answered_on").notNull(), // YYYY-MM-DD
  },
  (t) => [index("event_feedback_event_idx").on(t.eventId)],
);

// ---------------------------------------------------------------- data sources

export const PLACE_LEVELS = ["uk", "nation", "region", "local_authority", "small_area"] as const;
export const BREAKDOWNS = ["age", "sex", "disability", "ethnicity", "household_type", "tenure", "benefit_receipt", "income", "employment", "children"] as const;
export const ACCESS_ROUTES = ["open", "safeguarded", "secure"] as const;
export const FREQUENCIES = ["continuous", "monthly", "quarterly", "twice_a_year", "annual", "every_two_years", "decennial", "irregular"] as const;

// A catalogue entry: what a source measures, where and when, how it can be broken down,
// how to get it and what to watch for. Verified people propose and improve entries; data
// stewards and admins publish them (app/models/data-sources.server.ts). `search` is kept by
// PostgreSQL for full-text search (migration 0015, with a trigram index on the name).
export const dataSources = pgTable(
  "data_sources",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    publisher: text("publisher").notNull(),
    url: text("url"),
    measures: text("measures").notNull().default(""),
    topics: text("topics").array().notNull().default(sql`'{}'::text[]`),
    coverage: text("coverage").notNull().default(""),
    placeLevels: text("place_levels").array().$type<(typeof PLACE_LEVELS)[number][]>().notNull().default(sql`'{}'::text[]`),
    firstYear: integer("first_year"),
    latestRelease: text("latest_release"),
    frequency: text("frequency").$type<(typeof FREQUENCIES)[number]>(),
    breakdowns: text("breakdowns").array().$type<(typeof BREAKDOWNS)[number][]>().notNull().default(sql`'{}'::text[]`),
    licence: text("licence"),
    access: text("access").$type<(typeof ACCESS_ROUTES)[number]>().notNull().default("open"),
    methods: text("methods").notNull().default(""),
    qualityIssues: text("quality_issues").notNull().default(""),
    contact: text("contact"),
    status: text("status").$type<"proposed" | "published">().notNull().default("proposed"),
    proposedBy: text("proposed_by").references(() => users.id, { onDelete: "set null" }),
    publishedBy: text("published_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    publishedAt: tstz("published_at"),
  },
  (t) => [
    uniqueIndex("data_sources_slug_key").on(t.slug),
    index("data_sources_status_idx").on(t.status),
    // The catalogue listed by name, and its facets searched by containment (data-sources.server.ts).
    index("data_sources_name_idx").on(t.name),
    // A task's free text is matched against names, any case (task-research.server.ts).
    index("data_sources_name_lower_idx").on(sql`lower(${t.name})`),
    index("data_sources_place_levels_idx").using("gin", t.placeLevels),
    index("data_sources_breakdowns_idx").using("gin", t.breakdowns),
    // A person's own proposals: does the search show them any unpublished (a seq scan of
    // 20,000 entries cost 13 ms a search), and their export and deletion.
    index("data_sources_proposed_by_idx").on(t.proposedBy),
    // A search by access route lists its entries by name without walking everyone else's
    // (a search of three facets that matched nothing read all 20,000 names: 24 ms).
    index("data_sources_access_name_idx").on(t.access, t.name),
  ],
);
export type DataSource = typeof dataSources.$inferSelect;

// A change to a published entry suggested by someone who may not edit it: a data steward
// applies it (it becomes an edit in the entry's history) or declines it.
export const dataSourceSuggestions = pgTable(
  "data_source_suggestions",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id")
      .notNull()
      .references(() => dataSources.id, { onDelete: "cascade" }),
    suggestedBy: text("suggested_by").references(() => users.id, { onDelete: "set null" }),
    /** The entry as the suggestion would leave it (the form's fields). */
    fields: jsonb("fields").$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<"pending" | "applied" | "declined">().notNull().default("pending"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: tstz("decided_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [index("data_source_suggestions_source_idx").on(t.sourceId, t.status), index("data_source_suggestions_user_idx").on(t.suggestedBy)],
);

// The words of the catalogue's names and topics, kept by a trigger on `data_sources`
// (migration 0019): a misspelled search word is corrected to its nearest word here (pg_trgm
// similarity, on a trigram index) before full-text search runs again, which stays fast
// however many entries there are, where comparing the words with every name did not.
export const dataSourceWords = pgTable("data_source_words", { word: text("word").primaryKey() }, (t) => [
  index("data_source_words_trgm_idx").using("gin", sql`${t.word} gin_trgm_ops`),
]);

// Every change to an entry, with what it was after the change: its history.
export const dataSourceChanges = pgTable(
  "data_source_changes",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id")
      .notNull()
      .references(() => dataSources.id, { onDelete: "cascade" }),
    changedBy: text("changed_by").references(() => users.id, { onDelete: "set null" }),
    what: text("what").$type<"proposed" | "edited" | "published">().notNull(),
    snapshot: jsonb("snapshot").$type<Record<string, unknown>>().notNull(),
    changedAt: tstz("changed_at").notNull().defaultNow(),
  },
  (t) => [index("data_source_changes_source_idx").on(t.sourceId, t.changedAt)],
);

// A research task's sources that are in the catalogue (its free-text `data_sources` keeps
// anything not catalogued yet). The source's page lists the tasks that used it.
export const taskSources = pgTable(
  "task_sources",
  {
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    sourceId: text("source_id")
      .notNull()
      .references(() => dataSources.id, { onDelete: "cascade" }),
    linkedBy: text("linked_by").references(() => users.id, { onDelete: "set null" }),
    linkedAt: tstz("linked_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.sourceId] }), index("task_sources_source_idx").on(t.sourceId)],
);

// Context about a source from the people it describes ("misses people in temporary
// accommodation"): public once a data steward approves it; it names the author's
// organisation only when the author chose to.
export const sourceNotes = pgTable(
  "source_notes",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id")
      .notNull()
      .references(() => dataSources.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    organisationId: text("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    status: text("status").$type<"pending" | "approved" | "declined">().notNull().default("pending"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: tstz("decided_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [index("source_notes_source_idx").on(t.sourceId, t.status), index("source_notes_author_idx").on(t.authorId)],
);

export const GAP_KINDS = ["thematic", "geographic", "demographic"] as const;
export const GAP_STATUSES = ["raised", "taken_to_owner", "acknowledged", "being_addressed", "closed"] as const;
export const GAP_GROUPS = [
  "disabled_people",
  "children",
  "older_people",
  "ethnic_minorities",
  "migrants_nrpf",
  "homeless_temporary",
  "carers",
  "lone_parents",
  "rural",
  "deep_poverty",
] as const;
export type GapStatus = (typeof GAP_STATUSES)[number];

// A data gap: a question the data cannot answer, raised by a verified person, endorsed by
// organisations, and moved through its statuses by data stewards. A gap raised in a
// private community stays its members' (and admins') until a facilitator makes it public
// (`gapVisibleTo` in visibility.server.ts is the one rule). `endorsements` is kept with the
// rows under the gap's row lock.
export const dataGaps = pgTable(
  "data_gaps",
  {
    id: text("id").primaryKey(),
    question: text("question").notNull(),
    kind: text("kind").$type<(typeof GAP_KINDS)[number]>().notNull(),
    places: text("places").notNull().default(""),
    placeLevels: text("place_levels").array().$type<(typeof PLACE_LEVELS)[number][]>().notNull().default(sql`'{}'::text[]`),
    groups: text("groups").array().$type<(typeof GAP_GROUPS)[number][]>().notNull().default(sql`'{}'::text[]`),
    shortfall: text("shortfall").notNull().default(""),
    hubId: text("hub_id").references(() => hubs.id, { onDelete: "set null" }),
    taskId: text("task_id").references(() => tasks.id, { onDelete: "set null" }),
    communityId: text("community_id").references(() => communities.id, { onDelete: "cascade" }),
    public: boolean("public").notNull().default(true),
    status: text("status").$type<GapStatus>().notNull().default("raised"),
    raisedBy: text("raised_by").references(() => users.id, { onDelete: "set null" }),
    organisationId: text("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    endorsements: integer("endorsements").notNull().default(0),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("data_gaps_rank_idx").on(t.endorsements, t.createdAt),
    index("data_gaps_hub_idx").on(t.hubId),
    index("data_gaps_task_idx").on(t.taskId),
    index("data_gaps_community_idx").on(t.communityId),
  ],
);
export type DataGap = typeof dataGaps.$inferSelect;

export const dataGapSources = pgTable(
  "data_gap_sources",
  {
    gapId: text("gap_id")
      .notNull()
      .references(() => dataGaps.id, { onDelete: "cascade" }),
    sourceId: text("source_id")
      .notNull()
      .references(() => dataSources.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.gapId, t.sourceId] }), index("data_gap_sources_source_idx").on(t.sourceId)],
);

// "Us too": one per organisation per gap, kept so by the gap's row lock (a control run
// switches it off and shows the duplicates). Outlives the person who made it (the
// organisation said it); their name goes with their account.
export const dataGapEndorsements = pgTable(
  "data_gap_endorsements",
  {
    id: text("id").primaryKey(),
    gapId: text("gap_id")
      .notNull()
      .references(() => dataGaps.id, { onDelete: "cascade" }),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    evidenceUrl: text("evidence_url"),
    note: text("note").notNull().default(""),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [index("data_gap_endorsements_gap_idx").on(t.gapId, t.organisationId), index("data_gap_endorsements_user_idx").on(t.userId)],
);

// Each status a gap has been given, with its dated note: the gap's story for advocacy.
export const dataGapSteps = pgTable(
  "data_gap_steps",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    gapId: text("gap_id")
      .notNull()
      .references(() => dataGaps.id, { onDelete: "cascade" }),
    status: text("status").$type<GapStatus | "made_public">().notNull(),
    note: text("note").notNull().default(""),
    setBy: text("set_by").references(() => users.id, { onDelete: "set null" }),
    at: tstz("at").notNull().defaultNow(),
  },
  (t) => [index("data_gap_steps_gap_idx").on(t.gapId, t.at)],
);

export const RESEARCH_SKILLS = [
  "microsimulation",
  "survey_analysis",
  "qualitative",
  "mapping_gis",
  "data_visualisation",
  "econometrics",
  "lived_experience_research",
  "statistics",
  "policy_analysis",
] as const;
export type ResearchSkill = (typeof RESEARCH_SKILLS)[number];
export const HELP_TERMS = ["pro_bono", "paid", "student_project"] as const;

// What a person offers as a researcher: their skills, whether they have time now, on what
// terms. One row per person; removed with their account.
export const researcherProfiles = pgTable("researcher_profiles", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  skills: text("skills").array().$type<ResearchSkill[]>().notNull().default(sql`'{}'::text[]`),
  available: boolean("available").notNull().default(false),
  terms: text("terms").array().$type<(typeof HELP_TERMS)[number][]>().notNull().default(sql`'{}'::text[]`),
  note: text("note").notNull().default(""),
  pledgedAt: tstz("pledged_at"),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});

// The skills a task asks for ("help wanted: micro-simulation"), set by its lead or stewards.
export const taskSkillAsks = pgTable(
  "task_skill_asks",
  {
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    skill: text("skill").$type<ResearchSkill>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.skill] }), index("task_skill_asks_skill_idx").on(t.skill)],
);

// "Offer to help": a request to the task's lead, accepted (the person joins as a
// collaborator) or declined with a message. One open offer per person per task.
export const helpOffers = pgTable(
  "help_offers",
  {
    id: text("id").primaryKey(),
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organisationId: text("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    message: text("message").notNull().default(""),
    status: text("status").$type<"open" | "accepted" | "declined" | "withdrawn">().notNull().default("open"),
    reply: text("reply").notNull().default(""),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: tstz("decided_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("help_offers_open_key").on(t.taskId, t.userId).where(sql`${t.status} = 'open'`), index("help_offers_user_idx").on(t.userId)],
);

// ---------------------------------------------------------------- paying people for taking part

export const HONORARIUM_UNITS = ["session", "half_day", "full_day"] as const;
export const EXPENSE_KINDS = ["travel", "care", "support_worker", "data_phone"] as const;
export const PAYMENT_ROUTES = ["me", "organisation", "voucher", "donate", "none"] as const;

// What an event offers people for taking part: an honorarium (in pence, per session, half
// day or full day) and the expenses it covers, to every attendee or only to the registrants
// its organisers mark as paid participants, within a budget (claims over it are flagged to
// approvers, not refused). One offer per event; public, said plainly on the event's page.
export const paymentOffers = pgTable("payment_offers", {
  eventId: text("event_id")
    .primaryKey()
    .references(() => events.id, { onDelete: "cascade" }),
  honorariumPence: integer("honorarium_pence"),
  honorariumUnit: text("honorarium_unit").$type<(typeof HONORARIUM_UNITS)[number]>().notNull().default("session"),
  expenses: text("expenses").array().$type<(typeof EXPENSE_KINDS)[number][]>().notNull().default(sql`'{}'::text[]`),
  eligibility: text("eligibility").$type<"all_attendees" | "marked">().notNull().default("all_attendees"),
  budgetPence: integer("budget_pence"),
  setBy: text("set_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});
export type PaymentOffer = typeof paymentOffers.$inferSelect;

// The registrants an offer "only to marked participants" pays (a lived-experience panel's members).
export const paidParticipants = pgTable(
  "paid_participants",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    markedBy: text("marked_by").references(() => users.id, { onDelete: "set null" }),
    markedAt: tstz("marked_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);

// How a person chooses to be paid for an event, privately: seen only by them and the
// event's payment approvers (its organisers, and people with the payments role).
export const paymentChoices = pgTable(
  "payment_choices",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    route: text("route").$type<(typeof PAYMENT_ROUTES)[number]>().notNull(),
    organisationId: text("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    charity: text("charity"),
    /** A lower honorarium the person asks for (in pence), e.g. to stay within a benefit's earnings limit. */
    lowerAmountPence: integer("lower_amount_pence"),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);
export type PaymentChoice = typeof paymentChoices.$inferSelect;

// ---------------------------------------------------------------- payment claims (paying people, part 2)

export const CLAIM_STATUSES = ["submitted", "queried", "approved", "rejected", "paid", "withdrawn"] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const PAID_METHODS = ["bank_transfer", "voucher", "to_organisation", "donation", "other"] as const;

// A claim for taking part in an event: one per person per event, made once their attendance
// is marked. The financial record (payee, amounts, dates, reference, receipts) is kept six
// years; bank details, sealed (AES-256-GCM, app/utils/sealed.server.ts), 30 days after
// payment. Deleting an account unlinks the person (user_id null) but keeps the record
// (README "Paying people for taking part").
export const paymentClaims = pgTable(
  "payment_claims",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").references(() => events.id, { onDelete: "set null" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    /** Snapshots for the financial record (kept when the event or the account goes). */
    eventTitle: text("event_title").notNull(),
    eventKind: text("event_kind").$type<EventKind>().notNull(),
    attendedOn: tstz("attended_on").notNull(),
    payeeName: text("payee_name").notNull(),
    route: text("route").$type<(typeof PAYMENT_ROUTES)[number]>().notNull(),
    organisationName: text("organisation_name"),
    charity: text("charity"),
    honorariumPence: integer("honorarium_pence").notNull().default(0),
    expensesPence: integer("expenses_pence").notNull().default(0),
    status: text("status").$type<ClaimStatus>().notNull().default("submitted"),
    /** Account holder, sort code and account number, sealed together; null once deleted. */
    bankSealed: sealedBytes("bank_sealed"),
    bankLast2: text("bank_last2"),
    bankDeletedAt: tstz("bank_deleted_at"),
    submittedAt: tstz("submitted_at").notNull().defaultNow(),
    /** When it last started waiting for an approver (submitted, or a query answered): the queue's order. */
    waitingSince: tstz("waiting_since").notNull().defaultNow(),
    decidedAt: tstz("decided_at"),
    paidAt: tstz("paid_at"),
    paidMethod: text("paid_method").$type<(typeof PAID_METHODS)[number]>(),
    paidReference: text("paid_reference"),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("payment_claims_event_user_key").on(t.eventId, t.userId),
    index("payment_claims_status_idx").on(t.status, t.waitingSince),
    index("payment_claims_user_idx").on(t.userId),
    check("payment_claims_amounts", sql`${t.honorariumPence} >= 0 and ${t.expensesPence} >= 0 and ${t.honorariumPence} + ${t.expensesPence} <= 10000000`),
  ],
);
export type PaymentClaim = typeof paymentClaims.$inferSelect;

// The expenses a claim asks for, one line per kind offered.
export const paymentClaimExpenses = pgTable(
  "payment_claim_expenses",
  {
    claimId: text("claim_id")
      .notNull()
      .references(() => paymentClaims.id, { onDelete: "cascade" }),
    kind: text("kind").$type<(typeof EXPENSE_KINDS)[number]>().notNull(),
    description: text("description").notNull().default(""),
    amountPence: integer("amount_pence").notNull(),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.kind] })],
);

// Receipts: images or PDFs (checked by their content), sealed, at most 5 MB each.
export const paymentReceipts = pgTable(
  "payment_receipts",
  {
    id: text("id").primaryKey(),
    claimId: text("claim_id")
      .notNull()
      .references(() => paymentClaims.id, { onDelete: "cascade" }),
    kind: text("kind").$type<(typeof EXPENSE_KINDS)[number]>(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    sealed: sealedBytes("sealed").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [index("payment_receipts_claim_idx").on(t.claimId)],
);

// Each approval of a claim; over the threshold a claim needs two, by different people.
export const paymentApprovals = pgTable(
  "payment_approvals",
  {
    claimId: text("claim_id")
      .notNull()
      .references(() => paymentClaims.id, { onDelete: "cascade" }),
    approverId: text("approver_id").notNull(),
    at: tstz("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.approverId] })],
);

export const CLAIM_STEPS = [
  "submitted",
  "queried",
  "answered",
  "approval",
  "approved",
  "rejected",
  "paid",
  "withdrawn",
  "receipt_added",
  "bank_details",
] as const;

// What happened to a claim, in order, with who did it (a name kept as said at the time) and
// the message (a query, a reason, an answer). The claimant and approvers see it.
export const paymentClaimSteps = pgTable(
  "payment_claim_steps",
  {
    id: text("id").primaryKey(),
    claimId: text("claim_id")
      .notNull()
      .references(() => paymentClaims.id, { onDelete: "cascade" }),
    step: text("step").$type<(typeof CLAIM_STEPS)[number]>().notNull(),
    byId: text("by_id").references(() => users.id, { onDelete: "set null" }),
    message: text("message"),
    at: tstz("at").notNull().defaultNow(),
  },
  (t) => [index("payment_claim_steps_claim_idx").on(t.claimId, t.at)],
);

export const PAYMENT_AUDIT_ACTIONS = [
  "receipt_viewed",
  "bank_details_entered",
  "bank_details_changed",
  "bank_details_deleted",
  "payment_run",
  "rotated",
] as const;

// Every view of a receipt or bank detail, and every change of bank details: the claimant
// sees the log of their claim. `actor_name` is kept as it was (null once the account goes).
export const paymentAudit = pgTable(
  "payment_audit",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    claimId: text("claim_id").references(() => paymentClaims.id, { onDelete: "cascade" }),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").$type<(typeof PAYMENT_AUDIT_ACTIONS)[number]>().notNull(),
    detail: text("detail"),
    at: tstz("at").notNull().defaultNow(),
  },
  (t) => [index("payment_audit_claim_idx").on(t.claimId, t.at)],
);
