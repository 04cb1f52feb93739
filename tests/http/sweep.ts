import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { DomUtils, parseDocument } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataUrl, HUB, type Persona, PRIVATE_COMMUNITY, PUBLIC_COMMUNITY, q, routeTable, sha256hex, startWorld, type World } from "../fixtures/world";

// The fuzz sweep. It finds every route with an action in the server build's route table,
// and every form (intent) and field from the zod schemas each route exports as
// `actionForms`: a new route, intent or field is swept the day it lands. For each form it
// first sends a valid request that must succeed (so a sweep that only ever met 404s or
// 403s could not pass), then variants that change one field each (empty, 10k characters,
// arrays, NUL, broken percent-encoding, RTL and zero-width characters, emoji, lone
// surrogates, huge and negative numbers, impossible dates, unknown zones and ids, deeply
// nested Markdown…), alternately as a document POST and as a `.data` POST, as the person
// of the valid request and as signed-out, member, organiser and admin. The very large
// cases (1M characters, a 10 MB body, a chunked body, wrong content types, a malformed
// path, query and cookie) go once per form. Never a 5xx; and when a request is refused
// (4xx), the data is exactly as it was before it.

let w: World;

// ---------------------------------------------------------------- zod introspection

type Unit = { intent: string | null; fields: string[] };
type Def = {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  options?: { _zod: { def: Def } }[];
  in?: { _zod: { def: Def } };
  left?: { _zod: { def: Def } };
  right?: { _zod: { def: Def } };
  innerType?: { _zod: { def: Def } };
  values?: unknown[];
  entries?: Record<string, string>;
};

const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

function unwrap(d: Def): Def {
  while (d.innerType && ["optional", "default", "nullable", "catch", "readonly", "prefault"].includes(d.type)) d = d.innerType._zod.def;
  if (d.type === "pipe" && d.in) return unwrap(d.in._zod.def);
  return d;
}

/** The forms a schema accepts: one per intent, with every field it reads. */
function unitsOf(schema: unknown): Unit[] {
  const d = unwrap(defOf(schema));
  if (d.type === "union") return (d.options ?? []).flatMap((o) => unitsOf(o));
  if (d.type === "intersection") {
    const left = unitsOf(d.left);
    const right = unitsOf(d.right);
    return left.flatMap((l) => right.map((r) => ({ intent: l.intent ?? r.intent, fields: [...new Set([...l.fields, ...r.fields])] })));
  }
  if (d.type === "object") {
    const shape = d.shape ?? {};
    const fields = Object.keys(shape).filter((k) => k !== "intent");
    if (!shape.intent) return [{ intent: null, fields }];
    const i = unwrap(shape.intent._zod.def);
    const intents = i.type === "literal" ? (i.values as string[]) : i.type === "enum" ? Object.values(i.entries ?? {}) : [];
    return intents.map((intent) => ({ intent: String(intent), fields }));
  }
  throw new Error(`the sweep cannot read a schema of type ${d.type}`);
}

// ---------------------------------------------------------------- valid requests

type Body = Record<string, string | string[]>;
/** A file the form carries (sent as multipart/form-data with every variant of its fields). */
type Upload = { field: string; name: string; bytes: Buffer; type: string };
type Valid = { as: Persona | { cookie: string }; path: string; body: Body; file?: Upload };

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const uniq = () => randomUUID().slice(0, 8);

async function freshPerson(label: string, opts: { verified?: boolean } = {}) {
  const p = await w.person(label, opts);
  const [org] = await w.sql<{ id: string }>(`select id from organisations order by slug limit 1`);
  await w.sql(
    `insert into organisation_memberships (organisation_id, user_id, role, status, approved_at) values (${q(org.id)}, ${q(p.id)}, 'member', 'active', now())`,
  );
  return p;
}
const orgId = async (slug = "fairshare-institute") => (await w.sql<{ id: string }>(`select id from organisations where slug = ${q(slug)}`))[0].id;
const communityId = async (slug: string) => (await w.sql<{ id: string }>(`select id from communities where slug = ${q(slug)}`))[0].id;

async function makeTask(opts: { status?: string; lead?: string | null; org?: string | null } = {}) {
  const id = randomUUID();
  await w.sql(
    `insert into tasks (id, hub_id, title, question, status, lead_user_id, lead_org_id, due_date) values (${q(id)}, ${q(w.hubId)}, ${q(`Sweep task ${uniq()} on council tax arrears`)}, 'What changed?', ${q(opts.status ?? "open")}, ${opts.lead ? q(opts.lead) : "null"}, ${opts.org ? q(opts.org) : "null"}, ${q(day(10))})`,
  );
  return id;
}

async function makeEvent(opts: { state?: string; organiser?: string } = {}) {
  const id = randomUUID();
  const slug = `sweep-event-${uniq()}`;
  await w.sql(
    `insert into events (id, slug, kind, title, summary, starts_at, ends_at, time_zone, capacity, join_url, state) values (${q(id)}, ${q(slug)}, 'webinar', 'Sweep webinar on local welfare', 'A webinar', now() + interval '20 days', now() + interval '20 days 1 hour', 'Europe/London', 50, 'https://meet.example.org/sweep', ${q(opts.state ?? "published")})`,
  );
  if (opts.organiser) await w.sql(`insert into event_organisers (event_id, user_id) values (${q(id)}, ${q(opts.organiser)})`);
  return { id, slug };
}

async function postInThread(kind: "hub", author: string, body = "A message to sweep") {
  const [hub] = await w.sql<{ id: string }>(`select id from hubs where slug = ${q(HUB)}`);
  await w.sql(`insert into threads (id, subject_kind, subject_id) values (${q(randomUUID())}, ${q(kind)}, ${q(hub.id)}) on conflict do nothing`);
  const id = randomUUID();
  await w.sql(
    `with t as (update threads set last_seq = last_seq + 1, last_change = last_change + 1 where subject_kind = ${q(kind)} and subject_id = ${q(hub.id)} returning id, last_seq, last_change)
     insert into thread_messages (id, thread_id, seq, change_no, author_id, body, html) select ${q(id)}, id, last_seq, last_change, ${q(author)}, ${q(body)}, ${q(`<p>${body}</p>`)} from t`,
  );
  return id;
}

const eventFields = (over: Body = {}): Body => ({
  kind: "webinar",
  title: `Sweep webinar ${uniq()}`,
  summary: "What the Budget means for local welfare",
  description: "We will look at **local welfare** schemes.\n\n- one\n- two",
  timeZone: "Europe/London",
  startDate: day(30),
  startTime: "10:00",
  endDate: day(30),
  endTime: "11:00",
  capacity: "40",
  registrationOpens: "",
  registrationCloses: "",
  joinUrl: "https://meet.example.org/sweep-new",
  venue: "",
  accessProvisions: ["live_captions"],
  accessOther: "",
  communityId: "",
  hubId: "",
  repeat: "none",
  repeatCount: "",
  confirmClash: "1",
  ...over,
});

const orgFields = (name: string): Body => ({
  name,
  type: "charity",
  about: "We work on poverty.",
  regions: ["London"],
  focusAreas: "housing, debt",
  website: "https://example.org",
});

/** A "still coming?" link of a fresh person's confirmed place at the public event. */
async function stillComing(answer: string): Promise<Valid> {
  const p = await freshPerson(`coming-${answer}`);
  const [e] = await w.sql<{ id: string }>(`select id from events where slug = ${q(w.publicEventSlug)}`);
  await w.sql(`insert into event_registrations (id, event_id, user_id, status) values (${q(randomUUID())}, ${q(e.id)}, ${q(p.id)}, 'confirmed')`);
  const token = randomBytes(32).toString("base64url");
  await w.sql(`insert into place_checks (event_id, user_id, token_hash) values (${q(e.id)}, ${q(p.id)}, ${q(sha256hex(token))})`);
  return { as: "anon", path: `/still-coming/${token}`, body: {} };
}

/** A proposed catalogue entry of its own, for a request that changes one. */
async function sourceEntry(): Promise<string> {
  const slug = `sweep-source-${uniq()}`;
  await w.sql(
    `insert into data_sources (id, slug, name, publisher, status) values (${q(randomUUID())}, ${q(slug)}, 'Sweep source', 'Sweep publisher', 'proposed')`,
  );
  return slug;
}

/** A published event of its own that offers payment (£50 and travel, to everyone who takes part). */
async function eventWithOffer() {
  const e = await makeEvent();
  await w.sql(`insert into payment_offers (event_id, honorarium_pence, expenses) values (${q(e.id)}, 5000, '{travel}')`);
  return e;
}

/**
 * A claim for a fresh attendee of a fresh event that offers payment and that the admin
 * organises (so the admin approves it), in the given state; with the claimant's cookie.
 */
async function makeClaim(status = "submitted") {
  const e = await makeEvent({ organiser: w.ids.admin! });
  await w.sql(`insert into payment_offers (event_id, honorarium_pence, expenses) values (${q(e.id)}, 5000, '{travel}')`);
  const p = await freshPerson("claimant");
  const id = randomUUID();
  await w.sql(
    `insert into event_registrations (id, event_id, user_id, status, attended) values (${q(randomUUID())}, ${q(e.id)}, ${q(p.id)}, 'confirmed', true)`,
  );
  await w.sql(
    `insert into payment_claims (id, event_id, user_id, event_title, event_kind, attended_on, payee_name, route, honorarium_pence, expenses_pence, status, bank_last2)
     values (${q(id)}, ${q(e.id)}, ${q(p.id)}, 'Sweep webinar on local welfare', 'webinar', now(), 'Sweep Claimant', 'me', 5000, 0, ${q(status)}, null)`,
  );
  return { id, cookie: p.cookie };
}

const TINY_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

/** A pending note of context on the FRS, for a request that decides one. */
async function pendingNote(): Promise<string> {
  const id = randomUUID();
  await w.sql(
    `insert into source_notes (id, source_id, body) select ${q(id)}, id, 'Sweep note: misses hostels' from data_sources where slug = 'family-resources-survey'`,
  );
  return id;
}

/** A pending suggestion on the English Housing Survey, for a request that decides one. */
async function pendingSuggestion(): Promise<string> {
  const id = randomUUID();
  const fields = JSON.stringify({ ...sourceFields("English Housing Survey"), topics: ["housing"], firstYear: 2008 });
  await w.sql(
    `insert into data_source_suggestions (id, source_id, fields) select ${q(id)}, id, ${q(fields)}::jsonb from data_sources where slug = 'english-housing-survey'`,
  );
  return id;
}

/** A data gap of its own (public at the hub, or in the private community). */
async function makeGap(opts: { private?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  const where = opts.private
    ? `community_id, public) select ${q(id)}, 'Sweep gap', 'thematic', id, false from communities where slug = ${q("lived-experience-panels")}`
    : `hub_id, public) values (${q(id)}, 'Sweep gap', 'thematic', ${q(w.hubId)}, true)`;
  await w.sql(`insert into data_gaps (id, question, kind, ${where}`);
  return id;
}

const gapFields = (over: Body = {}): Body => ({
  question: `How many people use food banks in each council? ${uniq()}`,
  kind: "geographic",
  places: "Every council in England",
  placeLevels: ["local_authority"],
  groups: ["disabled_people"],
  sources: "Family Resources Survey",
  shortfall: "The sample is too small below region.",
  hub: HUB,
  task: "",
  community: "",
  organisationId: "",
  ...over,
});

const sourceFields = (name: string): Body => ({
  name,
  publisher: "Office for National Statistics",
  url: "https://example.org/data",
  measures: "What it measures.",
  topics: "income, housing",
  coverage: "UK",
  placeLevels: ["uk", "region"],
  firstYear: "2001",
  latestRelease: "2023 to 2024",
  frequency: "annual",
  breakdowns: ["age", "disability"],
  licence: "Open Government Licence v3.0",
  access: "open",
  methods: "A survey.",
  qualityIssues: "Small samples.",
  contact: "team@example.org",
});

/** How to make a valid request for each form, keyed `routeId#intent`. */
const VALID: Record<string, () => Promise<Valid>> = {
  "routes/login#": async () => {
    const p = await freshPerson("login");
    return { as: "anon", path: "/login", body: { email: p.email, password: "correct horse battery", redirectTo: "/me" } };
  },
  "routes/login#link": async () => ({ as: "anon", path: "/login", body: { email: (await freshPerson("linked")).email } }),
  "routes/sign-in.$token#": async () => {
    const p = await freshPerson("signinlink");
    const token = randomBytes(32).toString("base64url");
    await w.sql(
      `insert into auth_tokens (id, user_id, purpose, token_hash, expires_at) values (${q(randomUUID())}, ${q(p.id)}, 'sign_in', ${q(sha256hex(token))}, now() + interval '15 minutes')`,
    );
    return { as: "anon", path: `/sign-in/${token}`, body: {} };
  },
  "routes/signup#": async () => ({
    as: "anon",
    path: "/signup",
    body: { name: "New Person", email: `signup-${uniq()}@sweep.example.org`, password: "a long enough password", redirectTo: "/me" },
  }),
  "routes/logout#": async () => ({ as: { cookie: (await freshPerson("logout")).cookie }, path: "/logout", body: {} }),
  "routes/forgot-password#": async () => ({ as: "anon", path: "/forgot-password", body: { email: (await freshPerson("forgot")).email } }),
  "routes/reset-password.$token#": async () => {
    const p = await freshPerson("reset");
    const token = randomBytes(32).toString("base64url");
    await w.sql(
      `insert into auth_tokens (id, user_id, purpose, token_hash, expires_at) values (${q(randomUUID())}, ${q(p.id)}, 'reset_password', ${q(sha256hex(token))}, now() + interval '1 hour')`,
    );
    return { as: "anon", path: `/reset-password/${token}`, body: { password: "another long password", confirmPassword: "another long password" } };
  },
  "routes/verify-email.$token#": async () => {
    const p = await freshPerson("verify", { verified: false });
    const token = randomBytes(32).toString("base64url");
    await w.sql(
      `insert into auth_tokens (id, user_id, purpose, token_hash, expires_at) values (${q(randomUUID())}, ${q(p.id)}, 'verify_email', ${q(sha256hex(token))}, now() + interval '1 hour')`,
    );
    return { as: "anon", path: `/verify-email/${token}`, body: {} };
  },
  "routes/me._index#end-session": async () => {
    const p = await freshPerson("sessions");
    const other = await (
      await fetch(`${w.url}/__test/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: p.email }) })
    ).json();
    return { as: { cookie: p.cookie }, path: "/me?index", body: { sessionId: sha256hex((other as { cookie: string }).cookie.split("=")[1]) } };
  },
  "routes/me._index#end-others": async () => ({ as: { cookie: (await freshPerson("others")).cookie }, path: "/me?index", body: {} }),
  "routes/me._index#resend-verification": async () => ({
    as: { cookie: (await freshPerson("resend", { verified: false })).cookie },
    path: "/me?index",
    body: {},
  }),
  "routes/me.password#": async () => ({
    as: { cookie: (await freshPerson("password")).cookie },
    path: "/me/password",
    body: { currentPassword: "correct horse battery", newPassword: "a brand new password", confirmPassword: "a brand new password" },
  }),
  "routes/me.delete#": async () => ({ as: { cookie: (await freshPerson("delete")).cookie }, path: "/me/delete", body: { password: "correct horse battery" } }),
  "routes/me.calendar#regenerate": async () => ({ as: "member", path: "/me/calendar", body: {} }),
  "routes/data.new#": async () => ({ as: "member", path: "/data/new", body: sourceFields(`Sweep survey ${uniq()}`) }),
  "routes/data.$slug._index#publish": async () => ({ as: "admin", path: `/data/${await sourceEntry()}`, body: {} }),
  "routes/data.$slug._index#note": async () => ({
    as: { cookie: (await freshPerson("noter")).cookie },
    path: "/data/family-resources-survey",
    body: { body: "Misses people in temporary accommodation", organisationId: "" },
  }),
  "routes/data.$slug._index#approve-note": async () => ({ as: "admin", path: "/data/family-resources-survey", body: { noteId: await pendingNote() } }),
  "routes/data.$slug._index#decline-note": async () => ({ as: "admin", path: "/data/family-resources-survey", body: { noteId: await pendingNote() } }),
  "routes/data.$slug._index#apply-suggestion": async () => ({
    as: "admin",
    path: "/data/english-housing-survey",
    body: { suggestionId: await pendingSuggestion() },
  }),
  "routes/data.$slug._index#decline-suggestion": async () => ({
    as: "admin",
    path: "/data/english-housing-survey",
    body: { suggestionId: await pendingSuggestion() },
  }),
  "routes/events.$slug.payments#offer": async () => ({
    as: "admin",
    path: `/events/${(await eventWithOffer()).slug}/payments`,
    body: { honorarium: "50", honorariumUnit: "session", expenses: ["travel", "care"], eligibility: "all_attendees", budget: "500" },
  }),
  "routes/events.$slug.payments#withdraw": async () => ({ as: "admin", path: `/events/${(await eventWithOffer()).slug}/payments`, body: {} }),
  "routes/events.$slug.payments#mark": async () => {
    const e = await eventWithOffer();
    const p = await freshPerson("panel");
    await w.sql(`insert into event_registrations (id, event_id, user_id, status) values (${q(randomUUID())}, ${q(e.id)}, ${q(p.id)}, 'confirmed')`);
    return { as: "admin", path: `/events/${e.slug}/payments`, body: { userId: p.id, paid: "1" } };
  },
  "routes/events.$slug.payment-choice#": async () => {
    const e = await eventWithOffer();
    const p = await freshPerson("chooser");
    await w.sql(`insert into event_registrations (id, event_id, user_id, status) values (${q(randomUUID())}, ${q(e.id)}, ${q(p.id)}, 'confirmed')`);
    return { as: { cookie: p.cookie }, path: `/events/${e.slug}/payment-choice`, body: { route: "me", organisationId: "", charity: "", lowerAmount: "40" } };
  },
  "routes/events.$slug.claim#": async () => {
    const e = await eventWithOffer();
    const p = await freshPerson("attendee");
    await w.sql(
      `insert into event_registrations (id, event_id, user_id, status, attended) values (${q(randomUUID())}, ${q(e.id)}, ${q(p.id)}, 'confirmed', true)`,
    );
    await w.sql(`insert into payment_choices (event_id, user_id, route) values (${q(e.id)}, ${q(p.id)}, 'me')`);
    return {
      as: { cookie: p.cookie },
      path: `/events/${e.slug}/claim`,
      body: { travelAmount: "6.40", travelNote: "Bus to the venue and back", accountName: "A Person", sortCode: "11-22-33", accountNumber: "12345678" },
    };
  },
  "routes/claims.$id._index#approve": async () => ({ as: "admin", path: `/claims/${(await makeClaim()).id}?index`, body: {} }),
  "routes/claims.$id._index#query": async () => ({ as: "admin", path: `/claims/${(await makeClaim()).id}?index`, body: { message: "Which bus?" } }),
  "routes/claims.$id._index#reject": async () => ({ as: "admin", path: `/claims/${(await makeClaim()).id}?index`, body: { message: "Claimed twice" } }),
  "routes/claims.$id._index#paid": async () => ({
    as: "admin",
    path: `/claims/${(await makeClaim("approved")).id}?index`,
    body: { method: "bank_transfer", reference: "RUN-7", paidOn: "" },
  }),
  "routes/claims.$id._index#answer": async () => {
    const c = await makeClaim("queried");
    return { as: { cookie: c.cookie }, path: `/claims/${c.id}?index`, body: { message: "The 42 bus, both ways" } };
  },
  "routes/claims.$id._index#withdraw": async () => {
    const c = await makeClaim();
    return { as: { cookie: c.cookie }, path: `/claims/${c.id}?index`, body: {} };
  },
  "routes/claims.$id._index#bank": async () => {
    const c = await makeClaim();
    return { as: { cookie: c.cookie }, path: `/claims/${c.id}?index`, body: { accountName: "A Person", sortCode: "112233", accountNumber: "12345678" } };
  },
  "routes/claims.$id.receipt#": async () => {
    const c = await makeClaim();
    return {
      as: { cookie: c.cookie },
      path: `/claims/${c.id}/receipt`,
      body: { kind: "travel" },
      file: { field: "receipt", name: "ticket.png", bytes: TINY_PNG, type: "image/png" },
    };
  },
  "routes/payments.run[.]csv#": async () => {
    await makeClaim("approved");
    const team = await w.person("payments team", { roles: ["payments"] });
    return { as: { cookie: team.cookie }, path: "/payments/run.csv", body: { password: "correct horse battery" } };
  },
  "routes/data.gaps.new#": async () => ({ as: { cookie: (await freshPerson("gapper")).cookie }, path: "/data/gaps/new", body: gapFields() }),
  "routes/data.gaps.$id#endorse": async () => ({
    as: { cookie: (await freshPerson("endorser")).cookie },
    path: `/data/gaps/${await makeGap()}`,
    body: { organisationId: "", evidenceUrl: "https://example.org/evidence", note: "We see this every week" },
  }),
  "routes/data.gaps.$id#status": async () => ({
    as: "admin",
    path: `/data/gaps/${await makeGap()}`,
    body: { status: "taken_to_owner", stepNote: "Raised with the statisticians" },
  }),
  "routes/data.gaps.$id#make-public": async () => ({ as: "facilitator", path: `/data/gaps/${await makeGap({ private: true })}`, body: {} }),
  "routes/me.research#": async () => ({
    as: { cookie: (await freshPerson("researcher")).cookie },
    path: "/me/research",
    body: { skills: ["qualitative", "mapping_gis"], available: "1", terms: ["pro_bono"], note: "Evenings", pledge: "1" },
  }),
  "routes/data.$slug.edit#": async () => ({ as: "admin", path: `/data/${await sourceEntry()}/edit`, body: sourceFields("Sweep source, improved") }),
  "routes/follows#follow": async () => ({ as: "member", path: "/follows", body: { kind: "hub", id: w.hubId, returnTo: `/hubs/${HUB}` } }),
  "routes/follows#unfollow": async () => ({ as: "member", path: "/follows", body: { kind: "hub", id: w.hubId, returnTo: `/hubs/${HUB}` } }),
  "routes/notifications._index#read": async () => {
    const p = await freshPerson("notified");
    const id = randomUUID();
    await w.sql(
      `insert into notifications (id, user_id, kind, subject_key, space_kind, space_title, text, path) values (${q(id)}, ${q(p.id)}, 'events', 'sweep', 'event', 'Sweep', 'Sweep news', '/events')`,
    );
    return { as: { cookie: p.cookie }, path: "/notifications?index", body: { id } };
  },
  "routes/feedback.$token#": async () => {
    const p = await freshPerson("feedback");
    const [e] = await w.sql<{ id: string }>(`select id from events where slug = ${q(w.publicEventSlug)}`);
    const token = randomBytes(32).toString("base64url");
    await w.sql(`insert into feedback_requests (event_id, user_id, token_hash) values (${q(e.id)}, ${q(p.id)}, ${q(sha256hex(token))})`);
    return {
      as: "anon",
      path: `/feedback/${token}`,
      body: { useful: "4", accessible: "partly", gotInTheWay: "Slides were small", harm: "", anythingElse: "Thanks", named: "anonymous" },
    };
  },
  "routes/still-coming.$token#keep": async () => stillComing("keep"),
  "routes/still-coming.$token#release": async () => stillComing("release"),
  "routes/notifications._index#read-all": async () => ({ as: "member", path: "/notifications?index", body: {} }),
  "routes/notifications.settings#": async () => ({
    as: "member",
    path: "/notifications/settings",
    body: {
      "kind.events": "daily",
      "kind.hub_tasks": "weekly",
      "kind.my_tasks": "immediately",
      "kind.mentions": "never",
      "kind.join_requests": "immediately",
      "kind.reports": "immediately",
      "kind.help_offers": "immediately",
      "kind.my_payments": "immediately",
      "kind.payment_queue": "immediately",
      "kind.data_gaps": "weekly",
      "kind.data_review": "daily",
      "kind.harm_reports": "immediately",
      weekday: "2",
      hour: "7",
      timeZone: "Europe/London",
    },
  }),
  "routes/me.calendar#revoke": async () => ({ as: "member", path: "/me/calendar", body: {} }),
  "routes/principles#": async () => ({ as: "member", path: "/principles", body: { version: "1", as: "me" } }),
  "routes/admin._index#": async () => ({
    as: "admin",
    path: "/admin?index",
    body: { userId: (await freshPerson("promoted")).id, role: "organiser", grant: "1", q: "" },
  }),
  "routes/admin.communities._index#": async () => {
    const slug = `sweep-community-${uniq()}`;
    return {
      as: "admin",
      path: "/admin/communities?index",
      body: { name: `Sweep community ${uniq()}`, slug, summary: "A community", about: "About **it**", joinPolicy: "open", visibility: "public" },
    };
  },
  "routes/admin.communities.$slug#appoint": async () => ({
    as: "admin",
    path: `/admin/communities/${PRIVATE_COMMUNITY}`,
    body: { email: (await freshPerson("appointed")).email },
  }),
  "routes/admin.communities.$slug#save": async () => ({
    as: "admin",
    path: `/admin/communities/${PRIVATE_COMMUNITY}`,
    body: { name: "Lived experience panels", summary: "For panel members", about: "Private **space**", joinPolicy: "approval", visibility: "private" },
  }),
  "routes/admin.hubs._index#": async () => ({
    as: "admin",
    path: "/admin/hubs?index",
    body: {
      slug: `sweep-hub-${uniq()}`,
      title: "Sweep hub for a statement",
      momentName: "A statement",
      momentDate: day(50),
      momentTime: "12:30",
      summary: "A hub",
      description: "About the **moment**",
    },
  }),
  "routes/admin.hubs.$slug#steward": async () => ({ as: "admin", path: `/admin/hubs/${HUB}`, body: { email: (await freshPerson("steward")).email } }),
  "routes/admin.hubs.$slug#remove-steward": async () => {
    const p = await freshPerson("unsteward");
    await w.sql(`insert into hub_stewards (hub_id, user_id) values (${q(w.hubId)}, ${q(p.id)})`);
    return { as: "admin", path: `/admin/hubs/${HUB}`, body: { userId: p.id } };
  },
  "routes/admin.hubs.$slug#save": async () => {
    const [hub] = await w.sql<{ title: string; moment_name: string; moment_at: string }>(
      `select title, moment_name, to_char(moment_at at time zone 'Europe/London', 'YYYY-MM-DD') as moment_at from hubs where slug = ${q(HUB)}`,
    );
    return {
      as: "admin",
      path: `/admin/hubs/${HUB}`,
      body: {
        title: hub.title,
        momentName: hub.moment_name,
        momentDate: hub.moment_at,
        momentTime: "12:30",
        summary: "The Budget",
        description: "What **we** look at",
      },
    };
  },
  "routes/communities.$slug._index#join": async () => ({
    as: { cookie: (await freshPerson("joiner")).cookie },
    path: `/communities/${PUBLIC_COMMUNITY}?index`,
    body: { message: "I work on advice data" },
  }),
  "routes/communities.$slug._index#leave": async () => {
    const p = await freshPerson("leaver");
    await w.sql(
      `insert into community_memberships (community_id, user_id, role, status, joined_at) values (${q(await communityId(PUBLIC_COMMUNITY))}, ${q(p.id)}, 'member', 'active', now())`,
    );
    return { as: { cookie: p.cookie }, path: `/communities/${PUBLIC_COMMUNITY}?index`, body: {} };
  },
  "routes/communities.$slug._index#approve": async () => {
    const p = await freshPerson("requester");
    await w.sql(
      `insert into community_memberships (community_id, user_id, role, status) values (${q(await communityId(PRIVATE_COMMUNITY))}, ${q(p.id)}, 'member', 'pending')`,
    );
    return { as: "facilitator", path: `/communities/${PRIVATE_COMMUNITY}?index`, body: { userId: p.id, message: "Welcome" } };
  },
  "routes/communities.$slug._index#decline": async () => {
    const p = await freshPerson("declined");
    await w.sql(
      `insert into community_memberships (community_id, user_id, role, status) values (${q(await communityId(PRIVATE_COMMUNITY))}, ${q(p.id)}, 'member', 'pending')`,
    );
    return { as: "facilitator", path: `/communities/${PRIVATE_COMMUNITY}?index`, body: { userId: p.id, message: "Not this time" } };
  },
  "routes/communities.$slug._index#invite": async () => ({
    as: "facilitator",
    path: `/communities/${PRIVATE_COMMUNITY}?index`,
    body: { email: `invitee-${uniq()}@sweep.example.org` },
  }),
  "routes/communities.$slug.members#make-facilitator": async () => {
    const p = await freshPerson("promote");
    await w.sql(
      `insert into community_memberships (community_id, user_id, role, status, joined_at) values (${q(await communityId(PRIVATE_COMMUNITY))}, ${q(p.id)}, 'member', 'active', now())`,
    );
    return { as: "facilitator", path: `/communities/${PRIVATE_COMMUNITY}/members`, body: { userId: p.id } };
  },
  "routes/communities.$slug.members#make-member": async () => {
    const p = await freshPerson("demote");
    await w.sql(
      `insert into community_memberships (community_id, user_id, role, status, joined_at) values (${q(await communityId(PRIVATE_COMMUNITY))}, ${q(p.id)}, 'facilitator', 'active', now())`,
    );
    return { as: "facilitator", path: `/communities/${PRIVATE_COMMUNITY}/members`, body: { userId: p.id } };
  },
  "routes/communities.invitations.$token#": async () => {
    const p = await freshPerson("invited");
    const token = randomBytes(32).toString("base64url");
    await w.sql(
      `insert into community_invitations (id, community_id, email, token_hash, expires_at) values (${q(randomUUID())}, ${q(await communityId(PRIVATE_COMMUNITY))}, ${q(p.email)}, ${q(sha256hex(token))}, now() + interval '1 day')`,
    );
    return { as: { cookie: p.cookie }, path: `/communities/invitations/${token}`, body: {} };
  },
  "routes/directory.new#": async () => ({ as: "member", path: "/directory/new", body: orgFields(`Sweep Organisation ${uniq()}`) }),
  "routes/directory.$slug.edit#": async () => ({ as: "admin", path: "/directory/the-hartley-trust/edit", body: orgFields("The Hartley Trust") }),
  "routes/directory.$slug._index#request": async () => ({
    as: { cookie: (await freshPerson("orgjoin")).cookie },
    path: "/directory/housing-justice-lab?index",
    body: {},
  }),
  "routes/directory.$slug._index#leave": async () => {
    const p = await freshPerson("orgleave");
    await w.sql(
      `insert into organisation_memberships (organisation_id, user_id, role, status, approved_at) values (${q(await orgId("housing-justice-lab"))}, ${q(p.id)}, 'member', 'active', now())`,
    );
    return { as: { cookie: p.cookie }, path: "/directory/housing-justice-lab?index", body: {} };
  },
  "routes/directory.$slug._index#approve": async () => {
    const p = await freshPerson("orgrequest");
    await w.sql(
      `insert into organisation_memberships (organisation_id, user_id, role, status) values (${q(await orgId("housing-justice-lab"))}, ${q(p.id)}, 'member', 'pending')`,
    );
    return { as: "admin", path: "/directory/housing-justice-lab?index", body: { userId: p.id } };
  },
  "routes/directory.$slug._index#decline": async () => {
    const p = await freshPerson("orgdecline");
    await w.sql(
      `insert into organisation_memberships (organisation_id, user_id, role, status) values (${q(await orgId("housing-justice-lab"))}, ${q(p.id)}, 'member', 'pending')`,
    );
    return { as: "admin", path: "/directory/housing-justice-lab?index", body: { userId: p.id } };
  },
  "routes/directory.$slug._index#make-admin": async () => {
    const p = await freshPerson("orgadmin");
    await w.sql(
      `insert into organisation_memberships (organisation_id, user_id, role, status, approved_at) values (${q(await orgId("housing-justice-lab"))}, ${q(p.id)}, 'member', 'active', now())`,
    );
    return { as: "admin", path: "/directory/housing-justice-lab?index", body: { userId: p.id } };
  },
  "routes/directory.$slug._index#make-member": async () => {
    const p = await freshPerson("orgmember");
    await w.sql(
      `insert into organisation_memberships (organisation_id, user_id, role, status, approved_at) values (${q(await orgId("housing-justice-lab"))}, ${q(p.id)}, 'admin', 'active', now())`,
    );
    return { as: "admin", path: "/directory/housing-justice-lab?index", body: { userId: p.id } };
  },
  "routes/directory.$slug._index#anchor": async () => ({ as: "admin", path: "/directory/housing-justice-lab?index", body: { anchor: "1" } }),
  "routes/events.new#": async () => ({ as: "organiser", path: "/events/new", body: eventFields({ hubId: w.hubId }) }),
  "routes/events.$slug.edit#": async () => {
    const e = await makeEvent({ organiser: w.ids.organiser! });
    return { as: "organiser", path: `/events/${e.slug}/edit`, body: eventFields({ title: "Sweep webinar, moved", hubId: w.hubId }) };
  },
  "routes/events.$slug._index#register": async () => ({
    as: { cookie: (await freshPerson("registrant")).cookie },
    path: `/events/${(await makeEvent()).slug}?index`,
    body: { accessNeeds: ["live_captions"], accessNotes: "Captions please" },
  }),
  "routes/events.$slug._index#cancel": async () => {
    const p = await freshPerson("canceller");
    const e = await makeEvent();
    await w.sql(`insert into event_registrations (id, event_id, user_id, status) values (${q(randomUUID())}, ${q(e.id)}, ${q(p.id)}, 'confirmed')`);
    return { as: { cookie: p.cookie }, path: `/events/${e.slug}?index`, body: {} };
  },
  "routes/events.$slug.manage#publish": async () => ({
    as: "organiser",
    path: `/events/${(await makeEvent({ state: "draft", organiser: w.ids.organiser! })).slug}/manage`,
    body: {},
  }),
  "routes/events.$slug.manage#cancel-event": async () => ({
    as: "organiser",
    path: `/events/${(await makeEvent({ organiser: w.ids.organiser! })).slug}/manage`,
    body: {},
  }),
  "routes/events.$slug.manage#duplicate": async () => ({
    as: "organiser",
    path: `/events/${(await makeEvent({ organiser: w.ids.organiser! })).slug}/manage`,
    body: {},
  }),
  "routes/events.$slug.manage#message": async () => ({
    as: "organiser",
    path: `/events/${(await makeEvent({ organiser: w.ids.organiser! })).slug}/manage`,
    body: { subject: "Slides", body: "The slides are attached." },
  }),
  "routes/events.$slug.manage#materials": async () => ({
    as: "organiser",
    path: `/events/${(await makeEvent({ organiser: w.ids.organiser! })).slug}/manage`,
    body: { materials: "- [Slides](https://example.org/s.pdf)", recordingUrl: "https://example.org/rec" },
  }),
  "routes/events.$slug.manage#attendance": async () => {
    const e = await makeEvent({ organiser: w.ids.organiser! });
    const reg = randomUUID();
    await w.sql(`insert into event_registrations (id, event_id, user_id, status) values (${q(reg)}, ${q(e.id)}, ${q(w.ids.member!)}, 'confirmed')`);
    await w.sql(`update events set starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour' where id = ${q(e.id)}`);
    return { as: "organiser", path: `/events/${e.slug}/manage`, body: { present: [reg] } };
  },
  "routes/hubs.$slug.tasks.new#": async () => ({
    as: "member",
    path: `/hubs/${HUB}/tasks/new`,
    body: {
      title: `Sweep: effect of the ${uniq()} freeze on renters`,
      question: "Who loses?",
      description: "Use **FRS** data",
      dataSources: "FRS",
      tags: "housing, lha",
      dueDate: day(12),
      confirmNew: "1",
    },
  }),
  "routes/hubs.$slug.tasks.$id#claim": async () => ({ as: "member", path: `/hubs/${HUB}/tasks/${await makeTask()}`, body: { orgId: "" } }),
  "routes/hubs.$slug.tasks.$id#join": async () => ({
    as: "member",
    path: `/hubs/${HUB}/tasks/${await makeTask({ status: "claimed", lead: w.ids.organiser })}`,
    body: { orgId: "" },
  }),
  "routes/hubs.$slug.tasks.$id#leave": async () => {
    const t = await makeTask({ status: "claimed", lead: w.ids.organiser });
    await w.sql(`insert into task_collaborators (task_id, user_id) values (${q(t)}, ${q(w.ids.member!)})`);
    return { as: "member", path: `/hubs/${HUB}/tasks/${t}`, body: {} };
  },
  "routes/hubs.$slug.tasks.$id#advance": async () => ({
    as: "member",
    path: `/hubs/${HUB}/tasks/${await makeTask({ status: "claimed", lead: w.ids.member })}`,
    body: { to: "in_progress", outputUrl: "" },
  }),
  "routes/hubs.$slug.tasks.$id#release": async () => ({
    as: "member",
    path: `/hubs/${HUB}/tasks/${await makeTask({ status: "claimed", lead: w.ids.member })}`,
    body: {},
  }),
  "routes/hubs.$slug.tasks.$id#drop": async () => ({ as: "steward", path: `/hubs/${HUB}/tasks/${await makeTask()}`, body: { reason: "Covered elsewhere" } }),
  "routes/hubs.$slug.tasks.$id#reopen": async () => ({
    as: "steward",
    path: `/hubs/${HUB}/tasks/${await makeTask({ status: "dropped" })}`,
    body: { reason: "Needed after all" },
  }),
  "routes/hubs.$slug.tasks.$id#reassign": async () => ({
    as: "steward",
    path: `/hubs/${HUB}/tasks/${await makeTask({ status: "claimed", lead: w.ids.organiser })}`,
    body: { email: w.emails.member!, orgId: "" },
  }),
  "routes/hubs.$slug.tasks.$id#link-sources": async () => ({
    as: "steward",
    path: `/hubs/${HUB}/tasks/${await makeTask()}`,
    body: { sources: "Family Resources Survey\nhouseholds-below-average-income" },
  }),
  "routes/hubs.$slug.tasks.$id#unlink-source": async () => {
    const t = await makeTask();
    await w.sql(`insert into task_sources (task_id, source_id) select ${q(t)}, id from data_sources where slug = 'family-resources-survey'`);
    return { as: "steward", path: `/hubs/${HUB}/tasks/${t}`, body: { slug: "family-resources-survey" } };
  },
  "routes/hubs.$slug.tasks.$id#ask-skills": async () => ({
    as: "steward",
    path: `/hubs/${HUB}/tasks/${await makeTask()}`,
    body: { skills: ["microsimulation"] },
  }),
  "routes/hubs.$slug.tasks.$id#offer-help": async () => {
    const p = await freshPerson("helper");
    await w.sql(`insert into researcher_profiles (user_id, skills, available, pledged_at) values (${q(p.id)}, '{qualitative}', true, now())`);
    return {
      as: { cookie: p.cookie },
      path: `/hubs/${HUB}/tasks/${await makeTask({ status: "claimed", lead: w.ids.organiser })}`,
      body: { message: "I can interview people", orgId: "" },
    };
  },
  "routes/hubs.$slug.tasks.$id#answer-offer": async () => {
    const t = await makeTask({ status: "claimed", lead: w.ids.organiser });
    const p = await freshPerson("offered");
    const id = randomUUID();
    await w.sql(`insert into help_offers (id, task_id, user_id, message) values (${q(id)}, ${q(t)}, ${q(p.id)}, 'I can help')`);
    return { as: "organiser", path: `/hubs/${HUB}/tasks/${t}`, body: { offerId: id, decision: "accept", reply: "Welcome" } };
  },
  "routes/hubs.$slug.tasks.$id#merge": async () => ({ as: "steward", path: `/hubs/${HUB}/tasks/${await makeTask()}`, body: { intoId: await makeTask() } }),
  "routes/threads.$kind.$key#post": async () => ({
    as: { cookie: (await freshPerson("poster")).cookie },
    path: `/threads/hub/${HUB}`,
    body: { body: "What does the **Budget** mean for renters?", returnTo: `/hubs/${HUB}` },
  }),
  "routes/threads.$kind.$key#edit": async () => ({
    as: "member",
    path: `/threads/hub/${HUB}`,
    body: { messageId: await postInThread("hub", w.ids.member!), body: "Edited **text**", returnTo: "" },
  }),
  "routes/threads.$kind.$key#delete": async () => ({
    as: "member",
    path: `/threads/hub/${HUB}`,
    body: { messageId: await postInThread("hub", w.ids.member!), returnTo: "" },
  }),
  "routes/threads.$kind.$key#report": async () => ({
    as: "organiser",
    path: `/threads/hub/${HUB}`,
    body: { messageId: await postInThread("hub", w.ids.member!), reason: "Off topic", returnTo: "" },
  }),
  "routes/threads.$kind.$key#remove": async () => ({
    as: "steward",
    path: `/threads/hub/${HUB}`,
    body: { messageId: await postInThread("hub", w.ids.member!), returnTo: "" },
  }),
  "routes/threads.$kind.$key#dismiss": async () => {
    const m = await postInThread("hub", w.ids.member!);
    await w.sql(`insert into message_reports (id, message_id, reporter_id, reason) values (${q(randomUUID())}, ${q(m)}, ${q(w.ids.organiser!)}, 'spam?')`);
    return { as: "steward", path: `/threads/hub/${HUB}`, body: { messageId: m, returnTo: "" } };
  },
};

// ---------------------------------------------------------------- hostile values

type Value = string | string[] | { raw: string };
const VARIANTS: [string, Value][] = [
  ["empty", ""],
  ["10k characters", "x".repeat(10_000)],
  ["an array", ["a", "b", "c"]],
  ["NUL", "a\u0000b"],
  ["right-to-left override", "\u202Eevil\u202C.pdf"],
  ["zero-width", "a\u200B\u200D\uFEFFb"],
  ["emoji", "🙂🏳️‍🌈👩🏽‍🦯".repeat(30)],
  ["lone surrogate", { raw: "%ED%A0%80x" }],
  ["broken percent-encoding", { raw: "%E0%A4%A" }],
  ["huge number", "99999999999999999999999999999"],
  ["negative number", "-1"],
  ["float", "1.5e308"],
  ["Feb 30", "2026-02-30"],
  ["year 99999", "99999-01-01"],
  ["unknown time zone", "Mars/Olympus_Mons"],
  ["unknown id", "00000000-0000-4000-8000-000000000000"],
  ["nested quotes", "> ".repeat(1990)],
  ["nested lists", "- ".repeat(1990)],
  ["a run of stars", "*".repeat(3000)],
  ["markup", "<script>alert(1)</script><img src=x onerror=alert(1)>"],
  ["SQL", "'; drop table users; --"],
  ["line breaks", "a\r\nb\nc\rd"],
];

function encodeBody(body: Body, override?: { field: string; value: Value }): string {
  const parts: string[] = [];
  const put = (k: string, v: string) => parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  for (const [k, v] of Object.entries(body)) {
    if (override && k === override.field) continue;
    for (const one of Array.isArray(v) ? v : [v]) put(k, one);
  }
  if (override) {
    const v = override.value;
    if (typeof v === "object" && !Array.isArray(v)) parts.push(`${encodeURIComponent(override.field)}=${v.raw}`);
    else for (const one of Array.isArray(v) ? v : [v]) put(override.field, one);
  }
  return parts.join("&");
}

const withIntent = (body: Body, intent: string | null): Body => (intent ? { intent, ...body } : body);

function actionUrl(path: string, asData: boolean) {
  if (!asData) return path;
  const [pathname, query = ""] = path.split("?");
  const params = new URLSearchParams(query);
  const index = params.has("index");
  params.delete("index");
  return dataUrl(pathname, index, params.toString());
}

/**
 * A form post whose headers announce the body (a size, or chunks), with only a little of it
 * sent: the answer must come from the headers alone. Resolves with the status.
 */
function rawPost(path: string, headers: Record<string, string>, cookie: string | null, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${w.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: w.url, ...(cookie ? { cookie } : {}), ...headers },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
    if (headers["transfer-encoding"]) {
      req.write(body);
      req.end();
    } else req.write(body.slice(0, 100));
  });
}

// ---------------------------------------------------------------- the sweep

/**
 * Why a refused field is not tied to its message on the page that came back, or null when
 * it is (or when the field is not one a person types into: hidden values, buttons, boxes).
 */
function untiedError(html: string, field: string): string | null {
  const doc = parseDocument(html);
  const all = doc.children;
  const controls = DomUtils.findAll((el) => ["input", "textarea", "select"].includes(el.name) && el.attribs.name === field, all);
  const typed = controls.filter((c) => !(c.name === "input" && ["hidden", "submit", "button", "checkbox", "radio"].includes(c.attribs.type ?? "text")));
  if (!typed.length) return null;
  const tied = typed.some((c) => {
    if (c.attribs["aria-invalid"] !== "true") return false;
    const ids = (c.attribs["aria-describedby"] ?? "").split(/\s+/).filter(Boolean);
    return ids.some((id) => {
      const el = DomUtils.findOne((e) => e.attribs.id === id, all);
      return !!el && /\bfield-error\b/.test(el.attribs.class ?? "") && DomUtils.textContent(el).trim().length > 0;
    });
  });
  return tied ? null : `"${field}" was refused, but the page does not mark it invalid with its message tied to it`;
}

/**
 * The routes with an action, split into `of` shares of about equal work (by fields, the
 * sweep's unit of work), whole routes each; share `shard` (1-based) is this file's. Each
 * share runs in a test file of its own (`sweep-N.test.ts`), with a server of its own, so
 * the halves run side by side.
 */
type RouteInfo = Awaited<ReturnType<typeof routeTable>>[number];
function shareOf(routes: RouteInfo[], shard: number, of: number): RouteInfo[] {
  const load = new Array(of).fill(0);
  const mine: RouteInfo[] = [];
  for (const r of routes) {
    const units = r.actionForms!.length ? r.actionForms!.flatMap(unitsOf) : [{ intent: null, fields: [] }];
    const work = units.reduce((n, u) => n + u.fields.length + 2, 0);
    const lightest = load.indexOf(Math.min(...load));
    load[lightest] += work;
    if (lightest === shard - 1) mine.push(r);
  }
  return mine;
}

export function fuzzSweep(shard: number, of: number) {
  beforeAll(async () => {
    w = await startWorld();
  }, 120_000);
  afterAll(() => w?.stop());

  describe(`fuzz sweep, share ${shard} of ${of}`, () => {
    it.runIf(shard === 1)("knows a valid request for every form of every route with an action", async () => {
      const routes = await routeTable();
      const missing: string[] = [];
      for (const r of routes.filter((x) => x.hasAction)) {
        if (!r.actionForms) {
          missing.push(`${r.id}: exports no actionForms`);
          continue;
        }
        const units = r.actionForms.length ? r.actionForms.flatMap(unitsOf) : [{ intent: null, fields: [] }];
        for (const u of units) if (!VALID[`${r.id}#${u.intent ?? ""}`]) missing.push(`${r.id}#${u.intent ?? ""}`);
      }
      expect(missing, "forms the sweep has no valid request for").toEqual([]);
    });

    it("never answers 5xx, and a refused request changes nothing", async () => {
      // SWEEP_ROUTES (a pattern over route ids) sweeps only those routes: for a quick run while
      // working on one form. CI sweeps them all.
      const only = process.env.SWEEP_ROUTES ? new RegExp(process.env.SWEEP_ROUTES) : null;
      const routes = shareOf(
        (await routeTable()).filter((r) => r.hasAction && r.actionForms && (!only || only.test(r.id))),
        shard,
        of,
      );
      const failures: string[] = [];
      let requests = 0;
      let refusals = 0;
      let digestMs = 0;
      const digest = async () => {
        const t = performance.now();
        const d = await w.digest();
        digestMs += performance.now() - t;
        return d;
      };
      const started = performance.now();

      // What each refused request wrote is read from the next answer's `x-test-digest` (the
      // data as it was when that request arrived: requests go one at a time), or asked for
      // (`settle`) before anything else writes: a new form's setup.
      let lastPage = "";
      let pending: { label: string; status: number; before: Record<string, string> } | null = null;
      const check = (after: Record<string, string>) => {
        if (!pending) return;
        const changed = Object.keys(after).filter((t) => after[t] !== pending!.before[t]);
        if (changed.length) failures.push(`${pending.label}: refused with ${pending.status} but changed ${changed.join(", ")}`);
        pending = null;
      };
      const settle = async () => {
        if (pending) check(await digest());
      };
      const send = async (label: string, as: Valid["as"], url: string, init: RequestInit) => {
        const who = typeof as === "string" ? as : as.cookie;
        const headers = new Headers(init.headers);
        headers.set("x-test-digest", "1");
        let res: Response;
        try {
          res = await w.fetchAs(who === "anon" ? null : who, url, { ...init, headers });
        } catch (err) {
          failures.push(`${label}: the connection failed (${(err as Error).message})`);
          await settle();
          return 0;
        }
        requests++;
        const arrived = res.headers.get("x-test-digest");
        const text = await res.text().catch(() => "");
        lastPage = text;
        if (!arrived) {
          failures.push(`${label}: answered ${res.status} without the data's digest (x-test-digest)`);
          await settle();
          return res.status;
        }
        const before: Record<string, string> = JSON.parse(arrived);
        check(before);
        if (res.status >= 500) failures.push(`${label}: ${res.status} ${text.slice(0, 120)}`);
        if (res.status >= 400 && res.status < 500) {
          refusals++;
          pending = { label, status: res.status, before };
        }
        return res.status;
      };
      const form = (body: string, extra: Record<string, string> = {}): RequestInit => ({
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...extra },
        body,
      });
      // A form that carries a file goes as multipart/form-data: its fields (as the browser would
      // send them, so broken percent-encoding arrives as U+FFFD) and the file.
      const formFor = (valid: Valid, body: string): RequestInit => {
        if (!valid.file) return form(body);
        const multipart = new FormData();
        for (const [k, v] of new URLSearchParams(body)) multipart.append(k, v);
        multipart.append(valid.file.field, new Blob([new Uint8Array(valid.file.bytes)], { type: valid.file.type }), valid.file.name);
        return { method: "POST", body: multipart };
      };

      for (const route of routes) {
        const units = route.actionForms!.length ? route.actionForms!.flatMap(unitsOf) : [{ intent: null, fields: [] }];
        for (const unit of units) {
          const key = `${route.id}#${unit.intent ?? ""}`;
          await settle(); // before this form's setup writes
          const valid = await VALID[key]();
          const validBody = withIntent(valid.body, unit.intent);
          // 0. Each field too long, as a document, on a fresh valid request of its own (so the
          // page still holds the form it is about): the page that comes back marks that field
          // invalid and ties the server's message to it (aria-describedby), wherever the field
          // is one a person types into (hidden values are a button's, said above the form).
          const probe = await VALID[key]();
          for (const field of unit.fields) {
            const status = await send(
              `${key} ${field}=10k (document)`,
              probe.as,
              probe.path,
              formFor(probe, encodeBody(withIntent(probe.body, unit.intent), { field, value: "x".repeat(10_000) })),
            );
            if (status !== 400) continue;
            const problem = untiedError(lastPage, field);
            if (problem) failures.push(`${key}: ${problem}`);
          }

          // 1. The valid request must succeed.
          const status = await send(`${key} valid`, valid.as, valid.path, formFor(valid, encodeBody(validBody)));
          if (!(status >= 200 && status < 400)) failures.push(`${key}: the valid request was answered ${status}`);

          // 2. One field at a time, every hostile value, as the same person.
          const fields = [...new Set([...unit.fields, ...Object.keys(valid.body)])];
          let n = 0;
          for (const field of fields) {
            for (const [name, value] of VARIANTS) {
              const asData = n++ % 2 === 1;
              await send(
                `${key} ${field}=${name}${asData ? " (.data)" : ""}`,
                valid.as,
                actionUrl(valid.path, asData),
                formFor(valid, encodeBody(withIntent(valid.body, unit.intent), { field, value })),
              );
            }
          }

          // 3. Other kinds of person: the valid body and two hostile ones.
          for (const other of ["anon", "member", "organiser", "admin"] as const) {
            if (other === valid.as) continue;
            await send(`${key} as ${other}`, other, valid.path, formFor(valid, encodeBody(validBody)));
            const first = fields[0];
            if (first) {
              await send(
                `${key} as ${other} ${first}=10k`,
                other,
                actionUrl(valid.path, true),
                formFor(valid, encodeBody(validBody, { field: first, value: "x".repeat(10_000) })),
              );
              await send(`${key} as ${other} ${first}=array`, other, valid.path, formFor(valid, encodeBody(validBody, { field: first, value: ["a", "b"] })));
            }
          }

          // 4. Once per form: the very large and the malformed.
          const first = fields[0] ?? "field";
          const base = encodeBody(validBody);
          await send(`${key} 1M characters`, valid.as, valid.path, form(encodeBody(validBody, { field: first, value: "x".repeat(1_000_000) })));
          // Announced sizes are refused before a byte of the body is read.
          const cookieOf = typeof valid.as === "string" ? w.cookies[valid.as] : valid.as.cookie;
          const tenMb = await rawPost(valid.path, { "content-length": String(10 * 1024 * 1024) }, cookieOf, base);
          if (tenMb !== 413) failures.push(`${key}: a 10 MB body was answered ${tenMb}, not 413`);
          const chunked = await rawPost(valid.path, { "transfer-encoding": "chunked" }, cookieOf, base || "x=1");
          if (chunked !== 411) failures.push(`${key}: a chunked body without Content-Length was answered ${chunked}, not 411`);
          requests += 2;
          await send(`${key} as JSON`, valid.as, valid.path, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(validBody),
          });
          await send(`${key} as text`, valid.as, valid.path, { method: "POST", headers: { "content-type": "text/plain" }, body: base });
          const multipart = new FormData();
          for (const [k, v] of Object.entries(validBody)) for (const one of Array.isArray(v) ? v : [v]) multipart.append(k, one);
          multipart.append(first, new Blob(["%PDF-1.4 not really"], { type: "application/pdf" }), "x.pdf");
          await send(`${key} multipart with a file`, valid.as, valid.path, { method: "POST", body: multipart });
          await send(`${key} no content type`, valid.as, valid.path, { method: "POST", body: new Blob([base]) });
          const [pathname, query] = valid.path.split("?");
          await send(`${key} broken path`, valid.as, `${pathname}%E0%A4%A${query ? `?${query}` : ""}`, form(base));
          await send(`${key} broken query`, valid.as, `${valid.path}${query ? "&" : "?"}x=%E0%A4%A`, form(base));
          const cookie = typeof valid.as === "string" ? w.cookies[valid.as] : valid.as.cookie;
          await send(`${key} foreign cookie`, { cookie: `${cookie ? `${cookie}; ` : ""}promo=50%off; x=%E0%A4%A` }, valid.path, form(base));
        }
      }
      await settle();
      console.log(
        `share ${shard} of ${of}: requests: ${requests}, server_errors: ${failures.filter((f) => / 5\d\d /.test(f)).length}, refusals: ${refusals}, failures: ${failures.length}, seconds: ${Math.round((performance.now() - started) / 1000)} (checking the data: ${Math.round(digestMs / 1000)})`,
      );
      expect(failures).toEqual([]);
    }, 900_000);
  });
}
