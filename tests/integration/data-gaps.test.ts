import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GapForm, GapSearchParams } from "../../app/forms/data.server";
import { endorseGap, gapsForExport, getGapForViewer, makeGapPublic, raiseGap, searchGaps, setGapStatus } from "../../app/models/data-gaps.server";
import { addSourceNote, decideSourceNote, getSourceForViewer, notesForSource, sourcesOfHub, tasksUsingSource } from "../../app/models/data-sources.server";
import {
  decideHelpOffer,
  linkTaskSources,
  offerHelp,
  saveResearcherProfile,
  setTaskSkillAsks,
  taskResearchPanel,
  unlinkTaskSource,
} from "../../app/models/task-research.server";
import { claimTask } from "../../app/models/tasks.server";
import { db, dbHandle, schema } from "../../app/utils/db.server";
import { parseForm } from "../../app/utils/forms.server";
import { withControls } from "../../app/utils/test-controls.server";
import { seedIfNeeded } from "../../db/seed";
import { makeCommunity, makeOrganisation } from "../fixtures/communities";
import { makeHub, makeResearcher, makeTask } from "../fixtures/hubs";
import { makePerson } from "../fixtures/people";
import { testDatabaseKind } from "../setup/database";

type Role = "admin" | "data_steward";
const viewer = (p: { id: string; email: string; name: string }, roles: Role[] = [], verified = true) => ({
  ...p,
  emailVerifiedAt: verified ? new Date() : null,
  roles,
});

async function gapInput(values: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) fd.append(k, one);
  const parsed = await parseForm(fd, GapForm);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  return parsed.data;
}

let seeding: Promise<unknown> | null = null;
const seed = () => (seeding ??= seedIfNeeded(dbHandle(), { force: true }));

/** `people` members of each of `orgs` organisations, ready to endorse. */
async function organisationsWithTwoMembers(orgs: number) {
  const all: { id: string; email: string; name: string; org: string }[] = [];
  for (let i = 0; i < orgs; i++) {
    const first = await makePerson({ name: `Endorser ${i}a` });
    const org = await makeOrganisation({ name: `Endorsing org ${i}`, admin: first });
    const second = await makePerson({ name: `Endorser ${i}b` });
    await db
      .insert(schema.organisationMemberships)
      .values({ organisationId: org.id, userId: second.id, role: "member", status: "active", approvedAt: new Date() });
    all.push({ ...first, org: org.id }, { ...second, org: org.id });
  }
  return all;
}

describe("the data-gap register", () => {
  it("raises a gap against catalogue sources; a name not in the catalogue is refused beside the field and nothing is saved", async () => {
    await seed();
    const p = await makeResearcher("Gap Raiser");
    const before = (await db.select().from(schema.dataGaps)).length;
    const bad = await raiseGap(
      viewer(p),
      await gapInput({ question: "How many?", kind: "demographic", sources: "Family Resources Survey\nThe Survey of Everything" }),
    );
    expect(bad).toMatchObject({ ok: false, status: 400, fieldErrors: { sources: expect.stringContaining('"The Survey of Everything"') } });
    expect((await db.select().from(schema.dataGaps)).length).toBe(before);
    const made = await raiseGap(
      viewer(p),
      await gapInput({
        question: "How many disabled people use food banks in each local authority?",
        kind: "demographic",
        sources: "family resources survey",
        groups: ["disabled_people"],
        placeLevels: ["local_authority"],
      }),
    );
    expect(made).toMatchObject({ ok: true });
    const page = await getGapForViewer((made as { id: string }).id, null);
    expect(page?.sources.map((s) => s.name)).toEqual(["Family Resources Survey"]);
    expect(page?.raisedFor).toBe(p.org.name);
    // Unverified people cannot raise gaps; unknown enum values are refused by the form.
    expect(await raiseGap(viewer(p, [], false), await gapInput({ question: "Q", kind: "thematic" }))).toMatchObject({ ok: false, status: 403 });
    const fd = new FormData();
    fd.append("question", "Q");
    fd.append("kind", "cosmic");
    fd.append("groups", "martians");
    const refused = await parseForm(fd, GapForm);
    expect(refused.ok).toBe(false);
    expect(Object.keys((refused as { fieldErrors: object }).fieldErrors).sort()).toEqual(["groups", "kind"]);
  });

  const race = async (guardOff: boolean) => {
    const raiser = await makeResearcher("Race Raiser");
    const people = await organisationsWithTwoMembers(50);
    const made = (await raiseGap(viewer(raiser), await gapInput({ question: `Race ${guardOff}`, kind: "thematic" }))) as { id: string };
    await withControls({ guardsOff: guardOff ? ["one-endorsement"] : [] }, () =>
      Promise.all(people.map((p) => endorseGap(viewer(p), made.id, { organisationId: p.org, evidenceUrl: null, note: "" }))),
    );
    const rows = await db.select().from(schema.dataGapEndorsements).where(eq(schema.dataGapEndorsements.gapId, made.id));
    const [gap] = await db.select().from(schema.dataGaps).where(eq(schema.dataGaps.id, made.id));
    return { rows: rows.length, orgs: new Set(rows.map((r) => r.organisationId)).size, count: gap.endorsements };
  };

  it("endorsement race: two members of each of 50 organisations at once give exactly 50 endorsements, and the count agrees", async () => {
    expect(await race(false)).toEqual({ rows: 50, orgs: 50, count: 50 });
  }, 120_000);

  // Control run: the gap's row lock switched off. On Postgres the race shows: an
  // organisation's two members both get in. (PGlite has one connection, so its
  // transactions never interleave and the race cannot appear there.)
  it.runIf(testDatabaseKind() === "postgres")(
    "control: with the lock off, organisations endorse twice",
    async () => {
      const control = await race(true);
      expect(control.orgs).toBe(50);
      expect(control.rows).toBeGreaterThan(50);
    },
    120_000,
  );

  it("a gap raised in a private community is invisible to outsiders in every list, export and search, until a facilitator makes it public", async () => {
    const community = await makeCommunity({ visibility: "private" });
    const member = await makeResearcher("Private Member");
    await db
      .insert(schema.communityMemberships)
      .values({ communityId: community.id, userId: member.id, role: "member", status: "active", joinedAt: new Date() });
    const outsider = await makeResearcher("Outsider");
    const question = `Private gap ${community.slug}`;
    const made = (await raiseGap(viewer(member), await gapInput({ question, kind: "geographic", community: community.slug, groups: ["rural"] }))) as {
      id: string;
    };
    expect(made.id).toBeTruthy();
    // An outsider cannot raise one there either: the community is not theirs to see.
    expect(await raiseGap(viewer(outsider), await gapInput({ question: "Sneaky", kind: "thematic", community: community.slug }))).toMatchObject({
      ok: false,
      status: 404,
    });
    const everywhere = async (who: ReturnType<typeof viewer> | null) => {
      const f = GapSearchParams.parse({});
      const rural = GapSearchParams.parse({ group: "rural" });
      return [
        (await searchGaps(f, who)).some((g) => g.question === question),
        (await searchGaps(rural, who)).some((g) => g.question === question),
        (await gapsForExport(f, who)).some((g) => g.question === question),
        !!(await getGapForViewer(made.id, who)),
      ];
    };
    expect(await everywhere(null)).toEqual([false, false, false, false]);
    expect(await everywhere(viewer(outsider))).toEqual([false, false, false, false]);
    expect(await everywhere(viewer(member))).toEqual([true, true, true, true]);
    expect(await endorseGap(viewer(outsider), made.id, { organisationId: null, evidenceUrl: null, note: "" })).toMatchObject({ ok: false, status: 404 });
    // A member is not a facilitator: only the facilitator (or an admin) makes it public.
    expect(await makeGapPublic(viewer(member), made.id)).toMatchObject({ ok: false, status: 403 });
    expect(await makeGapPublic(viewer(community.facilitator), made.id)).toMatchObject({ ok: true });
    expect(await everywhere(null)).toEqual([true, true, true, true]);
  });

  it("endorsing twice keeps one endorsement per organisation; only data stewards move a gap on, each step with its note", async () => {
    const raiser = await makeResearcher("Status Raiser");
    const endorser = await makeResearcher("Endorser");
    const steward = await makePerson({ roles: ["data_steward"] });
    const made = (await raiseGap(
      viewer(raiser),
      await gapInput({ question: "No regular data on people with no recourse to public funds", kind: "demographic" }),
    )) as {
      id: string;
    };
    expect(
      await endorseGap(viewer(endorser), made.id, { organisationId: null, evidenceUrl: "https://example.org/report", note: "We see it weekly" }),
    ).toMatchObject({
      ok: true,
    });
    expect(await endorseGap(viewer(endorser), made.id, { organisationId: null, evidenceUrl: null, note: "" })).toMatchObject({
      ok: true,
      message: expect.stringContaining("already"),
    });
    const lonely = await makePerson();
    expect(await endorseGap(viewer(lonely), made.id, { organisationId: null, evidenceUrl: null, note: "" })).toMatchObject({ ok: false, status: 403 });
    let page = await getGapForViewer(made.id, viewer(endorser));
    expect(page?.gap.endorsements).toBe(1);
    expect(page?.endorsements[0]).toMatchObject({ org: endorser.org.name, evidenceUrl: "https://example.org/report", note: "We see it weekly" });
    expect(page?.can.endorse).toBe(false);
    expect(await setGapStatus(viewer(raiser), made.id, "acknowledged", "We said so")).toMatchObject({ ok: false, status: 403 });
    expect(await setGapStatus(viewer(steward, ["data_steward"]), made.id, "taken_to_owner", "Raised with the Home Office's statisticians")).toMatchObject({
      ok: true,
    });
    // Its raiser and endorser hear; the steward who moved it does not.
    const heard = async (who: { id: string }) =>
      (
        await db
          .select()
          .from(schema.notifications)
          .where(and(eq(schema.notifications.userId, who.id), eq(schema.notifications.kind, "data_gaps")))
      ).map((n) => n.path);
    expect(await heard(raiser)).toEqual([`/data/gaps/${made.id}`]);
    expect(await heard(endorser)).toEqual([`/data/gaps/${made.id}`]);
    expect(await heard(steward)).toEqual([]);
    page = await getGapForViewer(made.id, null);
    expect(page?.gap.status).toBe("taken_to_owner");
    expect(page?.steps.map((s) => [s.status, s.note])).toEqual([
      ["raised", ""],
      ["taken_to_owner", "Raised with the Home Office's statisticians"],
    ]);
    const exported = (await gapsForExport(GapSearchParams.parse({ status: "taken_to_owner" }), null)).find((g) => g.id === made.id);
    expect(exported).toMatchObject({ endorsements: 1, endorsedBy: [endorser.org.name] });
  });
});

describe("notes of context", () => {
  it("are invisible until a data steward approves them; only stewards and admins decide; the organisation is named only when chosen", async () => {
    await seed();
    const author = await makeResearcher("Note Author");
    const other = await makePerson();
    const steward = await makePerson({ roles: ["data_steward"] });
    const frs = (await getSourceForViewer("family-resources-survey", null))!.source;
    const bodies = async (who: ReturnType<typeof viewer> | null) => (await notesForSource(frs.id, who)).map((n) => n.body);
    expect(await addSourceNote(viewer(author), frs.slug, "Misses people in temporary accommodation", author.org.id)).toMatchObject({ ok: true });
    expect(await addSourceNote(viewer(author), frs.slug, "Another note, anonymous", null)).toMatchObject({ ok: true });
    expect(await addSourceNote(viewer(author), frs.slug, "Not my org", (await makeOrganisation()).id)).toMatchObject({
      ok: false,
      fieldErrors: { organisationId: expect.any(String) },
    });
    expect(await bodies(null)).not.toContain("Misses people in temporary accommodation");
    expect(await bodies(viewer(other))).not.toContain("Misses people in temporary accommodation");
    expect(await bodies(viewer(author))).toContain("Misses people in temporary accommodation");
    const pending = (await notesForSource(frs.id, viewer(steward, ["data_steward"]))).filter((n) => n.status === "pending");
    const named = pending.find((n) => n.body.startsWith("Misses"))!;
    expect(await decideSourceNote(viewer(author), frs.slug, named.id, "approved")).toMatchObject({ ok: false, status: 403 });
    expect(await decideSourceNote(viewer(steward), frs.slug, named.id, "approved")).toMatchObject({ ok: true });
    expect(await decideSourceNote(viewer(steward), frs.slug, named.id, "approved")).toMatchObject({ ok: false, status: 409 });
    const shown = await notesForSource(frs.id, null);
    expect(shown.find((n) => n.body.startsWith("Misses"))?.org).toBe(author.org.name);
    expect(shown.map((n) => n.body)).not.toContain("Another note, anonymous");
  });
});

describe("tasks, sources and offers of help", () => {
  it("links catalogue sources to a task (suggested from its free text); the source page lists the task", async () => {
    await seed();
    const hub = await makeHub();
    const lead = await makeResearcher("Source Lead");
    const task = await makeTask(hub.id);
    await db.update(schema.tasks).set({ dataSources: "Family Resources Survey 2023/24, our own casework" }).where(eq(schema.tasks.id, task.id));
    const row = { id: task.id, dataSources: "Family Resources Survey 2023/24, our own casework", leadUserId: null };
    expect((await taskResearchPanel(row.id, null)).suggested.map((s) => s.name)).toContain("Family Resources Survey");
    // Nobody working on it yet: a stranger cannot link.
    expect(await linkTaskSources(viewer(lead), task.id, ["Family Resources Survey"])).toMatchObject({ ok: false, status: 403 });
    expect(await claimTask(lead, task.id, null)).toMatchObject({ ok: true });
    expect(await linkTaskSources(viewer(lead), task.id, ["Nonexistent Survey"])).toMatchObject({ ok: false, fieldErrors: { sources: expect.any(String) } });
    expect(await linkTaskSources(viewer(lead), task.id, ["Family Resources Survey", "hbai"])).toMatchObject({ ok: false });
    expect(await linkTaskSources(viewer(lead), task.id, ["Family Resources Survey", "Households Below Average Income (HBAI)"])).toMatchObject({ ok: true });
    const panel = await taskResearchPanel(row.id, viewer(lead));
    expect(panel.linked.map((s) => s.name)).toEqual(["Family Resources Survey", "Households Below Average Income (HBAI)"]);
    expect(panel.suggested).toEqual([]);
    const frs = (await getSourceForViewer("family-resources-survey", null))!.source;
    expect((await tasksUsingSource(frs.id)).map((t) => t.id)).toContain(task.id);
    // The hub's page lists what its tasks draw on.
    expect(await sourcesOfHub(hub.id)).toEqual([
      { slug: "family-resources-survey", name: "Family Resources Survey", tasks: 1 },
      { slug: "households-below-average-income", name: "Households Below Average Income (HBAI)", tasks: 1 },
    ]);
    expect(await unlinkTaskSource(viewer(lead), task.id, "family-resources-survey")).toMatchObject({ ok: true });
    expect((await tasksUsingSource(frs.id)).map((t) => t.id)).not.toContain(task.id);
  });

  it("offer to help → accept makes a collaborator, with history; decline sends a message and changes nothing else", async () => {
    const hub = await makeHub();
    const lead = await makeResearcher("Offer Lead");
    const helper = await makeResearcher("Helper");
    const declined = await makeResearcher("Declined Helper");
    const task = await makeTask(hub.id);
    expect(await claimTask(lead, task.id, null)).toMatchObject({ ok: true });
    expect(await setTaskSkillAsks(viewer(helper), task.id, ["microsimulation"])).toMatchObject({ ok: false, status: 403 });
    expect(await setTaskSkillAsks(viewer(lead), task.id, ["microsimulation"])).toMatchObject({ ok: true });
    // Offering needs the pledge first.
    expect(await offerHelp(viewer(helper), task.id, "I run UKMOD", null)).toMatchObject({ ok: false, status: 409 });
    for (const p of [helper, declined]) {
      expect(await saveResearcherProfile(p, { skills: ["microsimulation"], available: true, terms: ["pro_bono"], note: "", pledge: "1" })).toMatchObject({
        ok: true,
      });
    }
    const panel = await taskResearchPanel(task.id, viewer(lead));
    expect(panel.helpers.map((h) => h.name)).toEqual(expect.arrayContaining(["Declined Helper", "Helper"]));
    expect(await offerHelp(viewer(helper), task.id, "I run UKMOD", null)).toMatchObject({ ok: true });
    expect(await offerHelp(viewer(helper), task.id, "Again", null)).toMatchObject({ ok: true, message: expect.stringContaining("already") });
    expect(await offerHelp(viewer(declined), task.id, "Me too", null)).toMatchObject({ ok: true });
    const offers = await db.select().from(schema.helpOffers).where(eq(schema.helpOffers.taskId, task.id));
    expect(offers).toHaveLength(2);
    const note = await db
      .select()
      .from(schema.notifications)
      .where(and(eq(schema.notifications.userId, lead.id), eq(schema.notifications.kind, "help_offers")));
    expect(note.length).toBe(2);
    const byUser = (id: string) => offers.find((o) => o.userId === id)!.id;
    expect(await decideHelpOffer(viewer(helper), task.id, byUser(helper.id), true, "")).toMatchObject({ ok: false, status: 403 });
    expect(await decideHelpOffer(viewer(lead), task.id, byUser(declined.id), false, "We have enough help, thank you")).toMatchObject({ ok: true });
    expect(await decideHelpOffer(viewer(lead), task.id, byUser(helper.id), true, "Welcome")).toMatchObject({ ok: true });
    expect(await decideHelpOffer(viewer(lead), task.id, byUser(helper.id), true, "")).toMatchObject({ ok: false, status: 409 });
    const collaborators = await db.select().from(schema.taskCollaborators).where(eq(schema.taskCollaborators.taskId, task.id));
    expect(collaborators.map((c) => c.userId)).toEqual([helper.id]);
    const history = await db.select().from(schema.taskHistory).where(eq(schema.taskHistory.taskId, task.id));
    expect(history.map((h) => h.summary)).toContain("Helper joined as a collaborator (Offer Lead accepted their offer to help)");
    const told = await db.select().from(schema.notifications).where(eq(schema.notifications.userId, declined.id));
    expect(told.map((n) => n.text).join()).toContain("We have enough help, thank you");
  });
});
