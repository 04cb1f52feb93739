import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { personalFeed } from "../../app/calendar/feeds.server";
import { EventForm } from "../../app/forms/events.server";
import { TaskForm } from "../../app/forms/hubs.server";
import { createCommunity, getCommunityForViewer, joinCommunity, leaveCommunity } from "../../app/models/communities.server";
import { createEvent, eventsHostedBy, listEvents, upcomingEventsFor, updateEvent } from "../../app/models/events.server";
import { createHub } from "../../app/models/hubs.server";
import { createOrganisation } from "../../app/models/orgs.server";
import { newId } from "../../app/utils/crypto.server";
import { db, schema } from "../../app/utils/db.server";
import { dbErrorKind, mapDbErrors, pgErrorCode } from "../../app/utils/db-errors.server";
import { bodyLimitFor, cleanCookieHeader, DEFAULT_BODY_LIMIT } from "../../app/utils/http-guards.server";
import { describeError } from "../../app/utils/log.server";
import { MARKDOWN_MAX_DEPTH, markdownProblem, markdownToText, renderMarkdown } from "../../app/utils/markdown.server";
import { makeCommunity, makeOrganisation } from "../fixtures/communities";
import { eventInput, makeEvent } from "../fixtures/events";
import { makeHub } from "../fixtures/hubs";
import { makePerson } from "../fixtures/people";

// Trust, part 1, by example: what the sweeps found, each pinned down where its rule lives.

describe("Markdown that cannot take anything down", () => {
  const hostile = {
    "20,000 >": ">".repeat(20_000),
    "2,000 nested quotes": "> ".repeat(2_000),
    "5,000 nested lists": `${"- ".repeat(5_000)}x`,
    "3,000 numbered lists": `${"1. ".repeat(3_000)}x`,
    "20,000 stars": `${"*".repeat(20_000)}a${"*".repeat(20_000)}`,
    "500 indented list levels": Array.from({ length: 500 }, (_, i) => `${" ".repeat(i * 2)}- x`).join("\n"),
    "20,000 brackets": `${"[".repeat(20_000)}a${"]".repeat(20_000)}`,
  };

  it.each(Object.entries(hostile))("%s: refused by the form rule, and rendered as plain text without throwing", (_name, text) => {
    expect(markdownProblem(text)).toMatch(/nested|in a row|brackets/);
    const html = renderMarkdown(text);
    expect(typeof html).toBe("string");
    expect(html.startsWith("<p>")).toBe(true);
    expect(typeof markdownToText(text)).toBe("string");
  });

  it("lets ordinary writing through, nesting up to the limit included", () => {
    expect(
      markdownProblem(
        "# Notes\n\n> A quote\n> > and a reply\n\n- one\n  - two\n    - three\n\n**bold** and _em_ and ***both***\n\n[a [link]](https://example.org)",
      ),
    ).toBeNull();
    expect(markdownProblem(`${"> ".repeat(MARKDOWN_MAX_DEPTH)}deep enough`)).toBeNull();
    expect(markdownProblem(`${"> ".repeat(MARKDOWN_MAX_DEPTH + 1)}too deep`)).not.toBeNull();
    expect(markdownProblem("----------\n**********\n")).toBeNull();
  });

  it("refuses deep Markdown in a form with a message next to the field", () => {
    const r = TaskForm.safeParse({ title: "A task with a deep description", description: "> ".repeat(100) });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ["description"], message: expect.stringContaining("nested at most") });
  });

  it("stores the rendering with the text, so pages and feeds never render it again", async () => {
    const organiser = await makePerson({ roles: ["organiser"] });
    const made = await createEvent(organiser, eventInput({ description: "Some **bold** words" }), { confirmClash: true });
    if (!made.ok) throw new Error(made.message);
    const [e] = await db.select().from(schema.events).where(eq(schema.events.slug, made.slug!));
    expect(e.descriptionHtml).toContain("<strong>bold</strong>");
    expect(e.descriptionText).toBe("Some bold words");
  });
});

describe("database errors become answers", () => {
  it("finds the code on the error or on the cause Drizzle wraps it in", () => {
    expect(pgErrorCode({ code: "23505" })).toBe("23505");
    expect(pgErrorCode(Object.assign(new Error("Failed query: insert …\nparams: secret"), { cause: { code: "23503" } }))).toBe("23503");
    expect(dbErrorKind({ cause: { code: "22007" } })).toBe("bad-value");
    expect(dbErrorKind(new Error("no code"))).toBeNull();
  });

  it("maps a real violation to a refusal and rethrows anything else", async () => {
    const person = await makePerson();
    const again = await mapDbErrors(() => db.insert(schema.users).values({ id: newId(), email: person.email, name: "Twin", passwordHash: "x" }), {
      unique: "taken" as const,
    });
    expect(again).toEqual({ ok: false, refusal: "taken" });
    const orphanRole = () => db.insert(schema.userRoles).values({ userId: "no-such-person", role: "organiser" });
    expect(await mapDbErrors(orphanRole, { "foreign-key": "who?" as const })).toEqual({ ok: false, refusal: "who?" });
    await expect(mapDbErrors(orphanRole, { unique: "taken" as const })).rejects.toBeTruthy();
  });

  it("six simultaneous creations of the same community, hub or organisation make one, and the others are told why", async () => {
    const admin = await makePerson({ roles: ["admin"] });
    const slug = `same-name-${newId().slice(0, 6)}`;
    const communities = await Promise.all(
      Array.from({ length: 6 }, () => createCommunity(admin, { name: "Same name", slug, summary: "", about: "", joinPolicy: "open", visibility: "public" })),
    );
    expect(communities.filter((r) => r.ok)).toHaveLength(1);
    for (const r of communities.filter((x) => !x.ok)) expect(r).toMatchObject({ status: 409, fieldErrors: { slug: expect.any(String) } });
    const hubInput = { title: "Same hub", momentName: "A moment", momentAt: new Date(Date.now() + 86_400_000), summary: "", description: "" };
    const hubs = await Promise.all(Array.from({ length: 6 }, () => createHub(admin, slug, hubInput)));
    expect(hubs.filter((r) => r.ok)).toHaveLength(1);
    for (const r of hubs.filter((x) => !x.ok)) expect(r).toMatchObject({ status: 409 });
    const orgInput = { name: "Same Org", type: "charity" as const, about: "", regions: ["London"], focusAreas: [], website: null };
    const orgs = await Promise.all(Array.from({ length: 6 }, () => createOrganisation({ id: admin.id, emailVerifiedAt: new Date() }, slug, orgInput)));
    expect(orgs.filter((r) => r.ok)).toHaveLength(1);
    for (const r of orgs.filter((x) => !x.ok)) expect(r).toMatchObject({ status: 409 });
  });
});

describe("where an event may go: one rule", () => {
  it("an unknown community or hub id is a field error, not a fault", async () => {
    const organiser = await makePerson({ roles: ["organiser"] });
    const r = await createEvent(organiser, eventInput({ communityId: "no-such-community", hubId: "no-such-hub" }), { confirmClash: true });
    expect(r).toMatchObject({ ok: false, status: 400, fieldErrors: { communityId: "Choose a community from the list", hubId: "Choose a hub from the list" } });
  });

  it("a facilitator cannot move their event into a community they do not facilitate", async () => {
    const mine = await makeCommunity();
    const theirs = await makeCommunity();
    const made = await createEvent(mine.facilitator, eventInput({ communityId: mine.id }), { confirmClash: true });
    if (!made.ok) throw new Error(made.message);
    const moved = await updateEvent(mine.facilitator, made.slug!, eventInput({ communityId: theirs.id }), "http://localhost", { confirmClash: true });
    expect(moved).toMatchObject({ ok: false, status: 403, fieldErrors: { communityId: expect.stringContaining("communities you facilitate") } });
    const created = await createEvent(mine.facilitator, eventInput({ communityId: theirs.id }), { confirmClash: true });
    expect(created).toMatchObject({ ok: false, status: 403 });
    // Staying where it is, or any change of its own, is fine.
    expect(
      await updateEvent(mine.facilitator, made.slug!, eventInput({ communityId: mine.id, title: "Renamed" }), "http://localhost", { confirmClash: true }),
    ).toMatchObject({ ok: true });
  });

  it("the event form reports an unknown community id beside the field", () => {
    const r = EventForm.safeParse({
      kind: "webinar",
      title: "A title",
      startDate: "2026-02-30",
      startTime: "10:00",
      endTime: "11:00",
      timeZone: "Mars/Olympus",
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path[0])).toContain("timeZone");
  });
});

describe("one visibility rule for events", () => {
  it("a private community's event is in no public list, hub page, profile or feed, and is in its members'", async () => {
    const community = await makeCommunity({ visibility: "private" });
    const hub = await makeHub();
    const org = await makeOrganisation();
    const { event, organiser } = await makeEvent({ communityId: community.id, hubId: hub.id });
    await db
      .insert(schema.organisationMemberships)
      .values({ organisationId: org.id, userId: organiser.id, role: "member", status: "active", approvedAt: new Date() });
    const member = await makePerson();
    await db.insert(schema.communityMemberships).values({ communityId: community.id, userId: member.id, status: "active", joinedAt: new Date() });
    const pending = await makePerson();
    await joinCommunity(pending, community.slug, null).catch(() => {});
    await db.insert(schema.communityMemberships).values({ communityId: community.id, userId: pending.id, status: "pending" }).onConflictDoNothing();
    const outsider = { id: pending.id, isAdmin: false };
    const insider = { id: member.id, isAdmin: false };
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

    expect(ids(await upcomingEventsFor({ hubId: hub.id }, null))).not.toContain(event.id);
    expect(ids(await upcomingEventsFor({ hubId: hub.id }, outsider))).not.toContain(event.id);
    expect(ids(await upcomingEventsFor({ hubId: hub.id }, insider))).toContain(event.id);
    expect(ids(await eventsHostedBy(org.id, null))).not.toContain(event.id);
    expect(ids(await eventsHostedBy(org.id, insider))).toContain(event.id);
    expect((await listEvents({}, null)).events.map((e) => e.event.id)).not.toContain(event.id);
    // A pending requester sees the community's name and their request, nothing else.
    const view = await getCommunityForViewer(community.slug, pending);
    expect(view).toMatchObject({ limited: true, memberCount: null, facilitators: [], standing: { status: "pending" } });
  });

  it("a person who leaves a private community loses its events from their private feed", async () => {
    const community = await makeCommunity({ visibility: "private" });
    const { event } = await makeEvent({ communityId: community.id });
    const member = await makePerson();
    await db.insert(schema.communityMemberships).values({ communityId: community.id, userId: member.id, status: "active", joinedAt: new Date() });
    await db.insert(schema.eventRegistrations).values({ id: newId(), eventId: event.id, userId: member.id, status: "confirmed" });
    expect(await (await personalFeed(member.id, "http://localhost")).build()).toContain(event.joinUrl!);
    expect(await leaveCommunity(member, community.slug)).toMatchObject({ ok: true });
    expect(await (await personalFeed(member.id, "http://localhost")).build()).not.toContain(event.joinUrl!);
  });
});

describe("bounded input and logs", () => {
  it("drops cookies that do not decode, and keeps the rest", () => {
    expect(cleanCookieHeader("promo=50%off; convene_session=abc; x=%E0%A4%A")).toBe("convene_session=abc");
    expect(cleanCookieHeader("a=1; b=2")).toBe("a=1; b=2");
    expect(bodyLimitFor("/login")).toBe(DEFAULT_BODY_LIMIT);
  });

  it("describes errors in one line without query parameters or router objects", () => {
    const wrapped = Object.assign(new Error('Failed query: insert into "users" ("email") values ($1)\nparams: someone@example.org,hunter2'), {
      cause: { code: "23505", message: "duplicate key value violates unique constraint" },
    });
    const d = describeError(wrapped);
    expect(d).toMatchObject({ code: "23505", message: "query failed: duplicate key value violates unique constraint" });
    expect(JSON.stringify(d)).not.toMatch(/someone@example.org|hunter2|\n/);
    expect(describeError({ status: 405, statusText: "Method Not Allowed", data: "x" })).toEqual({
      name: "ErrorResponse",
      code: "405",
      message: "Method Not Allowed",
    });
  });
});
