import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dataUrl,
  HUB,
  MARKERS,
  PERSONAS,
  type Persona,
  PRIVATE_COMMUNITY,
  PUBLIC_COMMUNITY,
  q,
  routeTable,
  sha256hex,
  startWorld,
  type World,
} from "../fixtures/world";

// The authorisation matrix: every page, its `.data`, every feed and CSV, as ten kinds of
// person (the tenth, the payments team), for a public and a private community. The expected answer of each comes from
// the table below, written here and not computed from the app's own rules (which would
// make the test agree with whatever the app does). A route the table does not name fails
// the test, so a new route is covered the day it lands. Every body is also searched for
// what the person must not see: the private event's title and joining link, the public
// event's joining link, an access note, the private thread, other people's addresses.

let w: World;
let feedToken: string;
beforeAll(async () => {
  w = await startWorld();
  // The community member's private calendar feed.
  feedToken = randomBytes(32).toString("base64url");
  await w.sql(`insert into calendar_feeds (user_id, token_hash) values (${q(w.ids.communityMember!)}, ${q(sha256hex(feedToken))})`);
}, 120_000);
afterAll(() => w?.stop());

type Status = 200 | 302 | 403 | 404;
type Expect = Partial<Record<Persona, Status>> & { rest: Status };
type Case = {
  path: string | (() => string);
  expect: Expect;
  /** Judge the markers as this persona whoever asks (a feed reached by its token). */
  markersAs?: Persona;
  /** Markers not checked on this body, and why. */
  skipMarkers?: string;
  /** Where a signed-in 302 may lead (by default /me or /). */
  redirectsTo?: RegExp;
  /** Markers a persona may meet on this page alone (the payments team sees a claim's event, whatever its community). */
  allow?: Partial<Record<Persona, (keyof typeof MARKERS)[]>>;
};

const all = (s: Status): Expect => ({ rest: s });
const signedIn: Expect = { anon: 302, rest: 200 };
const adminOnly: Expect = { anon: 302, admin: 200, rest: 403 };
/** Private community's members (and admins): everyone else gets the 404 a missing thing gets. */
const insiders = (s: Status = 200): Expect => ({ communityMember: s, facilitator: s, admin: s, rest: 404 });

const P = PRIVATE_COMMUNITY;
const C = PUBLIC_COMMUNITY;

const TABLE: Record<string, Case[]> = {
  "routes/_index": [{ path: "/", expect: all(200) }],
  "routes/$": [{ path: "/no/such/page", expect: all(404) }],
  "routes/calendar[.]ics": [{ path: "/calendar.ics", expect: all(200), markersAs: "anon" }],
  // Someone already signed in is sent to their account.
  "routes/login": [{ path: "/login", expect: { anon: 200, rest: 302 } }],
  "routes/signup": [{ path: "/signup", expect: { anon: 200, rest: 302 } }],
  "routes/forgot-password": [{ path: "/forgot-password", expect: all(200) }],
  "routes/logout": [{ path: "/logout", expect: all(302) }],
  "routes/reset-password.$token": [{ path: "/reset-password/not-a-real-token", expect: all(200) }],
  "routes/verify-email.$token": [{ path: "/verify-email/not-a-real-token", expect: all(200) }],
  "routes/sign-in.$token": [{ path: "/sign-in/not-a-real-token", expect: all(200) }],
  "routes/principles": [{ path: "/principles", expect: all(200) }],
  "routes/accessibility": [{ path: "/accessibility", expect: all(200) }],
  "routes/communities._index": [{ path: "/communities", expect: all(200) }],
  "routes/communities.$slug._index": [
    { path: `/communities/${C}`, expect: all(200) },
    // A pending requester sees its name and their request, nothing else (markers prove it).
    { path: `/communities/${P}`, expect: { ...insiders(), pending: 200 } },
  ],
  "routes/communities.$slug.members": [
    { path: `/communities/${C}/members`, expect: { admin: 200, rest: 403 } },
    { path: `/communities/${P}/members`, expect: { ...insiders(), pending: 403 } },
  ],
  "routes/communities.$slug.calendar[.]ics": [
    { path: `/communities/${C}/calendar.ics`, expect: all(200) },
    { path: `/communities/${P}/calendar.ics`, expect: insiders() },
  ],
  "routes/communities.invitations.$token": [{ path: "/communities/invitations/not-a-real-token", expect: all(200) }],
  "routes/events._index": [
    { path: "/events", expect: all(200) },
    { path: "/events?when=past", expect: all(200) },
  ],
  "routes/events.new": [{ path: "/events/new", expect: { anon: 302, organiser: 200, facilitator: 200, admin: 200, rest: 403 } }],
  "routes/events.$slug._index": [
    { path: () => `/events/${w.publicEventSlug}`, expect: all(200) },
    { path: () => `/events/${w.privateEventSlug}`, expect: insiders() },
  ],
  "routes/events.$slug.calendar[.]ics": [
    { path: () => `/events/${w.publicEventSlug}/calendar.ics`, expect: all(200) },
    { path: () => `/events/${w.privateEventSlug}/calendar.ics`, expect: insiders() },
  ],
  "routes/events.$slug.edit": [
    { path: () => `/events/${w.publicEventSlug}/edit`, expect: adminOnly },
    // The private event: its community's facilitator runs it; a member may see it but not run it.
    { path: () => `/events/${w.privateEventSlug}/edit`, expect: { anon: 302, facilitator: 200, admin: 200, communityMember: 403, rest: 404 } },
  ],
  "routes/events.$slug.manage": [
    { path: () => `/events/${w.publicEventSlug}/manage`, expect: adminOnly },
    { path: () => `/events/${w.privateEventSlug}/manage`, expect: { anon: 302, facilitator: 200, admin: 200, communityMember: 403, rest: 404 } },
  ],
  "routes/events.$slug.attendees[.]csv": [
    { path: () => `/events/${w.publicEventSlug}/attendees.csv`, expect: adminOnly },
    { path: () => `/events/${w.privateEventSlug}/attendees.csv`, expect: { anon: 302, facilitator: 200, admin: 200, communityMember: 403, rest: 404 } },
  ],
  // Feedback: the organisers (admins here) read the answers, the community's facilitator the summary.
  "routes/events.$slug.feedback": [
    // The public event is on the hub: its steward sees the summary.
    { path: () => `/events/${w.publicEventSlug}/feedback`, expect: { anon: 302, admin: 200, steward: 200, rest: 403 } },
    { path: () => `/events/${w.privateEventSlug}/feedback`, expect: { anon: 302, facilitator: 200, admin: 200, communityMember: 403, rest: 404 } },
  ],
  // Payment: the organisers' page (the offer; choices only for the event's own organisers and
  // the payments role, so not for an admin or a facilitator as such), and a person's private choice.
  "routes/events.$slug.payments": [
    { path: () => `/events/${w.publicEventSlug}/payments`, expect: { ...adminOnly, approver: 200 } },
    { path: () => `/events/${w.privateEventSlug}/payments`, expect: { anon: 302, facilitator: 200, admin: 200, communityMember: 403, rest: 404 } },
  ],
  "routes/events.$slug.payment-choice": [
    { path: () => `/events/${w.publicEventSlug}/payment-choice`, expect: { anon: 302, communityMember: 200, rest: 403 } },
    { path: () => `/events/${w.privateEventSlug}/payment-choice`, expect: { anon: 302, communityMember: 200, facilitator: 403, admin: 403, rest: 404 } },
  ],
  // Claims: their claimant's and their approvers' (no persona approves these events), 404 to
  // anyone else; the claim form is for attendees an offer pays (the community member here).
  "routes/events.$slug.claim": [
    { path: () => `/events/${w.publicEventSlug}/claim`, expect: { anon: 302, communityMember: 200, rest: 403 } },
    {
      path: () => `/events/${w.privateEventSlug}/claim`,
      expect: { anon: 302, communityMember: 302, facilitator: 403, admin: 403, rest: 404 },
      redirectsTo: /^\/claims\/[0-9a-f-]+$/,
    },
  ],
  "routes/claims.$id._index": [
    { path: () => `/claims/${w.claimId}`, expect: { anon: 302, communityMember: 200, approver: 200, rest: 404 }, allow: { approver: ["privateTitle"] } },
    { path: "/claims/00000000-0000-0000-0000-000000000000", expect: { anon: 302, rest: 404 } },
  ],
  // Adding a receipt is the claimant's alone; an approver is told so.
  "routes/claims.$id.receipt": [{ path: () => `/claims/${w.claimId}/receipt`, expect: { anon: 302, communityMember: 200, approver: 403, rest: 404 } }],
  "routes/claims.$id.receipts.$receiptId": [
    { path: () => `/claims/${w.claimId}/receipts/${w.receiptId}`, expect: { anon: 302, communityMember: 200, approver: 200, rest: 404 } },
    { path: () => `/claims/${w.claimId}/receipts/00000000-0000-0000-0000-000000000000`, expect: { anon: 302, rest: 404 } },
  ],
  "routes/payments._index": [{ path: "/payments", expect: { anon: 302, approver: 200, rest: 403 }, allow: { approver: ["privateTitle"] } }],
  "routes/payments.run._index": [{ path: "/payments/run", expect: { anon: 302, approver: 200, rest: 403 } }],
  // The CSV is a POST behind the password; a GET goes to the form (which says who may use it).
  "routes/payments.run[.]csv": [{ path: "/payments/run.csv", expect: { anon: 302, rest: 302 }, redirectsTo: /^\/payments\/run$/ }],
  "routes/transparency.payments": [{ path: "/transparency/payments", expect: all(200) }],
  "routes/feedback.$token": [{ path: "/feedback/not-a-real-token-of-ours-at-all", expect: all(200) }],
  "routes/feeds.$token.calendar[.]ics": [
    { path: "/feeds/not-a-real-token/calendar.ics", expect: all(404) },
    // Reached by its token alone, whoever asks: what is in it is the owner's.
    { path: () => `/feeds/${feedToken}/calendar.ics`, expect: all(200), markersAs: "communityMember" },
  ],
  "routes/hubs._index": [{ path: "/hubs", expect: all(200) }],
  "routes/hubs.$slug._index": [{ path: `/hubs/${HUB}`, expect: all(200) }],
  "routes/hubs.$slug.calendar[.]ics": [{ path: `/hubs/${HUB}/calendar.ics`, expect: all(200), markersAs: "anon" }],
  "routes/hubs.$slug.tracker[.]csv": [{ path: `/hubs/${HUB}/tracker.csv`, expect: all(200) }],
  "routes/hubs.$slug.tasks.similar": [{ path: `/hubs/${HUB}/tasks/similar?title=poverty+in+the+budget`, expect: all(200) }],
  "routes/hubs.$slug.tasks.new": [{ path: `/hubs/${HUB}/tasks/new`, expect: { anon: 302, unverified: 403, rest: 200 } }],
  "routes/hubs.$slug.tasks.$id": [{ path: () => `/hubs/${HUB}/tasks/${w.taskId}`, expect: all(200) }],
  "routes/threads.$kind.$key": [
    { path: `/threads/hub/${HUB}`, expect: all(200) },
    { path: () => `/threads/task/${w.taskId}`, expect: all(200) },
    { path: `/threads/community/${C}`, expect: all(200) },
    { path: `/threads/community/${P}`, expect: insiders() },
    { path: () => `/threads/event/${w.privateEventSlug}`, expect: insiders() },
    { path: () => `/threads/event/${w.publicEventSlug}`, expect: all(200) },
  ],
  // Who to suggest after "@": for people who may post in the thread only.
  "routes/threads.$kind.$key_.people": [
    { path: `/threads/hub/${HUB}/people?q=a`, expect: { anon: 404, unverified: 404, rest: 200 } },
    // Only people who may post there (members; an admin who is not one may read, not post).
    { path: `/threads/community/${P}/people?q=a`, expect: { communityMember: 200, facilitator: 200, rest: 404 } },
  ],
  // The data catalogue: published entries are everyone's; a proposal its proposer's, the
  // stewards' and the admins'; improving a published entry is for stewards and admins.
  "routes/data._index": [
    { path: "/data", expect: all(200) },
    { path: "/data?q=Familly+Resources&level=uk&breakdown=disability&access=safeguarded", expect: all(200) },
  ],
  "routes/data[.]json": [{ path: "/data.json", expect: all(200) }],
  "routes/data.new": [{ path: "/data/new", expect: { anon: 302, unverified: 403, rest: 200 } }],
  "routes/data.$slug._index": [
    { path: "/data/family-resources-survey", expect: all(200) },
    { path: "/data/citizens-advice-data", expect: { admin: 200, rest: 404 } },
  ],
  // A published entry: stewards and admins edit it, anyone else verified suggests a change to it.
  "routes/data.$slug.edit": [
    { path: "/data/family-resources-survey/edit", expect: { anon: 302, unverified: 403, rest: 200 } },
    { path: "/data/citizens-advice-data/edit", expect: { anon: 302, unverified: 403, admin: 200, rest: 404 } },
  ],
  "routes/data.review": [{ path: "/data/review", expect: adminOnly }],
  // The data-gap register: a gap raised in the private community is its members' (and the
  // admins'), in every list, export and page, until a facilitator makes it public.
  "routes/data.gaps._index": [
    { path: "/data/gaps", expect: all(200) },
    { path: "/data/gaps?kind=demographic&level=region&group=rural&status=raised&hub=autumn-budget&sort=newest", expect: all(200) },
  ],
  "routes/data.gaps[.]csv": [{ path: "/data/gaps.csv", expect: all(200) }],
  "routes/data.gaps[.]json": [{ path: "/data/gaps.json?kind=demographic", expect: all(200) }],
  "routes/data.gaps.new": [
    { path: "/data/gaps/new", expect: { anon: 302, unverified: 403, rest: 200 } },
    { path: `/data/gaps/new?community=${P}`, expect: { anon: 302, unverified: 403, communityMember: 200, facilitator: 200, admin: 200, rest: 404 } },
    { path: () => `/data/gaps/new?task=${w.taskId}&source=family-resources-survey`, expect: { anon: 302, unverified: 403, rest: 200 } },
  ],
  "routes/data.gaps.$id": [
    { path: () => `/data/gaps/${w.publicGapId}`, expect: all(200) },
    { path: () => `/data/gaps/${w.privateGapId}`, expect: { communityMember: 200, facilitator: 200, admin: 200, rest: 404 } },
  ],
  "routes/me.research": [{ path: "/me/research", expect: { anon: 302, unverified: 403, rest: 200 } }],
  "routes/directory._index": [{ path: "/directory", expect: all(200) }],
  // The organisation whose member runs the private community's event.
  "routes/directory.$slug._index": [{ path: "/directory/voices-of-experience", expect: all(200) }],
  "routes/directory.$slug.edit": [{ path: "/directory/voices-of-experience/edit", expect: adminOnly }],
  "routes/directory.new": [{ path: "/directory/new", expect: { anon: 302, unverified: 403, rest: 200 } }],
  "routes/me._index": [{ path: "/me", expect: signedIn }],
  "routes/me.calendar": [{ path: "/me/calendar", expect: signedIn }],
  "routes/me.password": [{ path: "/me/password", expect: signedIn }],
  "routes/me.delete": [{ path: "/me/delete", expect: signedIn }],
  "routes/me.export": [{ path: "/me/export", expect: signedIn }],
  "routes/notifications._index": [{ path: "/notifications", expect: signedIn }],
  "routes/notifications.settings": [{ path: "/notifications/settings", expect: signedIn }],
  // /follows takes the Follow buttons' posts; there is nothing to GET.
  "routes/follows": [{ path: "/follows", expect: all(404) }],
  // The page an unsubscribe link opens: reached by its token alone, and it changes nothing.
  "routes/still-coming.$token": [{ path: "/still-coming/not-a-real-token-of-ours-at-all", expect: all(200) }],
  "routes/unsubscribe.$token": [{ path: "/unsubscribe/not-a-real-token-of-ours-at-all", expect: all(200) }],
  "routes/moderation": [{ path: "/moderation", expect: signedIn }],
  "routes/admin._index": [{ path: "/admin", expect: adminOnly }],
  "routes/admin.communities._index": [{ path: "/admin/communities", expect: adminOnly }],
  "routes/admin.communities.$slug": [{ path: `/admin/communities/${P}`, expect: adminOnly }],
  "routes/admin.hubs._index": [{ path: "/admin/hubs", expect: adminOnly }],
  "routes/admin.hubs.$slug": [{ path: `/admin/hubs/${HUB}`, expect: adminOnly }],
  // The development mailbox (NODE_ENV=development and test only): issue "Trust, part 2"
  // restricts it; its bodies are every person's mail, so markers are not judged here.
  "routes/dev.mail._index": [{ path: "/dev/mail", expect: all(200), skipMarkers: "the development mailbox shows all mail until Trust, part 2" }],
  "routes/dev.mail.$id": [{ path: "/dev/mail/00000000-0000-0000-0000-000000000000", expect: all(404) }],
};

/** Which markers a persona may meet anywhere. */
function allowedMarkers(p: Persona): Set<keyof typeof MARKERS> {
  const inside = p === "communityMember" || p === "facilitator" || p === "admin";
  const allowed = new Set<keyof typeof MARKERS>(["memberEmailDomain"]);
  if (inside) allowed.add("privateTitle").add("privateThread").add("privateJoin");
  // The community member holds a place at the public event; admins run every event.
  if (p === "communityMember" || p === "admin") allowed.add("publicJoin");
  // Organisers of an event read access notes; the person who wrote one reads their own.
  if (p === "facilitator" || p === "admin" || p === "communityMember") allowed.add("accessNote");
  // A payment choice and a claim: their person, and the payments team.
  if (p === "communityMember" || p === "approver") allowed.add("paymentChoice").add("paymentClaim");
  return allowed;
}

/** Whose email addresses a persona may meet: their own; a facilitator, their requesters' and registrants'; an admin, anyone's. */
function allowedEmails(p: Persona): Set<Persona> {
  if (p === "admin") return new Set(PERSONAS);
  if (p === "facilitator") return new Set<Persona>(["facilitator", "pending", "communityMember"]);
  return new Set<Persona>([p]);
}

function leaks(body: string, as: Persona, also: (keyof typeof MARKERS)[] = []): string[] {
  const found: string[] = [];
  const allowed = allowedMarkers(as);
  for (const m of also) allowed.add(m);
  for (const [name, marker] of Object.entries(MARKERS) as [keyof typeof MARKERS, string][]) {
    if (name === "memberEmailDomain" || allowed.has(name)) continue;
    if (body.includes(marker)) found.push(name);
  }
  const emails = allowedEmails(as);
  for (const p of PERSONAS) {
    const email = w.emails[p];
    if (email && !emails.has(p) && body.includes(email)) found.push(`email of ${p}`);
  }
  return found;
}

describe("authorisation matrix", () => {
  it("names every route of the app in its table", async () => {
    const routes = await routeTable();
    const missing = routes.filter((r) => (r.hasLoader || r.hasPage) && !TABLE[r.id]).map((r) => `${r.id} (${r.pattern})`);
    expect(missing, "routes without expectations in the authorisation matrix").toEqual([]);
    const unknown = Object.keys(TABLE).filter((id) => !routes.some((r) => r.id === id));
    expect(unknown, "table entries for routes that no longer exist").toEqual([]);
  });

  it("answers every page, .data request, feed and CSV as the table says, and shows no one what they may not see", async () => {
    const routes = new Map((await routeTable()).map((r) => [r.id, r]));
    const wrong: string[] = [];
    let requests = 0;
    for (const [id, cases] of Object.entries(TABLE)) {
      const route = routes.get(id)!;
      for (const c of cases) {
        const path = typeof c.path === "function" ? c.path() : c.path;
        for (const persona of PERSONAS) {
          const expected = c.expect[persona] ?? c.expect.rest;
          const res = await w.fetchAs(persona, path);
          requests++;
          const body = await res.text();
          if (res.status !== expected)
            wrong.push(
              `${persona} GET ${path}: ${res.status}, expected ${expected}${res.status >= 300 && res.status < 400 ? ` (to ${res.headers.get("location")})` : ""}`,
            );
          if (expected === 302 && !String(res.headers.get("location")).match(persona === "anon" ? /^\/(login\b|$)/ : (c.redirectsTo ?? /^\/(me|)$/)))
            wrong.push(`${persona} GET ${path}: redirected to ${res.headers.get("location")}`);
          const also = c.allow?.[persona] ?? [];
          if (!c.skipMarkers) for (const leak of leaks(body, c.markersAs ?? persona, also)) wrong.push(`${persona} GET ${path}: shows ${leak}`);
          if (!route.hasPage) continue;
          // The same page's data, as the browser fetches it after hydration.
          const [pathname, query] = path.split("?");
          const data = await w.fetchAs(persona, dataUrl(pathname, route.index, query ?? ""));
          requests++;
          const dataBody = await data.text();
          const redirected =
            data.status === 202 || data.status === 204 || /"redirect"|\[\s*"SingleFetchRedirect"/.test(dataBody) || dataBody.includes("SingleFetchRedirect");
          const dataOk =
            expected === 302
              ? redirected || data.status === 302
              : expected === 200
                ? data.status === 200 && !dataBody.includes("SingleFetchRedirect")
                : data.status === expected;
          if (!dataOk) wrong.push(`${persona} GET ${dataUrl(pathname, route.index, query ?? "")}: ${data.status}, expected the .data of ${expected}`);
          if (!c.skipMarkers) for (const leak of leaks(dataBody, c.markersAs ?? persona, also)) wrong.push(`${persona} .data ${path}: shows ${leak}`);
        }
      }
    }
    console.log(`authorisation matrix: requests: ${requests}, wrong: ${wrong.length}`);
    expect(wrong).toEqual([]);
  }, 600_000);

  it("sees the private markers where they belong (so the search for leaks can find them)", async () => {
    const asMember = await (await w.fetchAs("communityMember", `/events/${w.privateEventSlug}`)).text();
    expect(asMember).toContain(MARKERS.privateTitle);
    expect(asMember).toContain(MARKERS.privateJoin);
    const csv = await (await w.fetchAs("facilitator", `/events/${w.privateEventSlug}/attendees.csv`)).text();
    expect(csv).toContain(MARKERS.accessNote);
    expect(csv).toContain(w.emails.communityMember);
    const thread = await (await w.fetchAs("communityMember", `/threads/community/${P}`)).text();
    expect(thread).toContain(MARKERS.privateThread);
    const hub = await (await w.fetchAs("communityMember", `/hubs/${HUB}`)).text();
    expect(hub).toContain(MARKERS.privateTitle);
    const feed = await (await w.fetchAs(null, `/feeds/${feedToken}/calendar.ics`)).text();
    expect(feed).toContain(MARKERS.privateJoin);
  });
});
