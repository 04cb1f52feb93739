import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deleteAccount, exportUserData } from "../../app/models/account-data.server";
import { getOrganisationProfile, searchDirectory } from "../../app/models/directory.server";
import {
  createOrganisation,
  decideOrganisationRequest,
  leaveOrganisation,
  requestToJoinOrganisation,
  setAnchorPartner,
  updateOrganisation,
} from "../../app/models/orgs.server";
import { signPrinciples, signPrinciplesForOrganisation } from "../../app/models/principles.server";
import { db, schema } from "../../app/utils/db.server";
import { withControls } from "../../app/utils/test-controls.server";
import { makeOrganisation } from "../fixtures/communities";
import { lastMailTo, makePerson } from "../fixtures/people";
import { testDatabaseKind } from "../setup/database";

const APP = "http://convene.test";

describe("directory search and filters", () => {
  it("finds by name, type, region, focus area and engagement level", async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const a = await makeOrganisation({ name: `Alpha ${tag} Trust`, type: "funder", regions: ["Wales"], focusAreas: ["disability"] });
    const b = await makeOrganisation({
      name: `Beta ${tag} Advice`,
      type: "advice_service",
      regions: ["London", "South East"],
      focusAreas: ["debt advice", "housing"],
    });
    const names = async (f: Parameters<typeof searchDirectory>[0]) => (await searchDirectory(f)).map((o) => o.slug);

    expect(await names({ q: tag })).toEqual([a.slug, b.slug]);
    expect(await names({ q: `alpha ${tag}` })).toEqual([a.slug]);
    expect(await names({ q: tag, type: "advice_service" })).toEqual([b.slug]);
    expect(await names({ q: tag, region: "South East" })).toEqual([b.slug]);
    expect(await names({ q: tag, focus: "disability" })).toEqual([a.slug]);
    expect(await names({ q: tag, region: "Scotland" })).toEqual([]);
    // Wildcards in the query are literal.
    expect(await names({ q: "%" })).toEqual([]);

    expect(await names({ q: tag, level: "user" })).toEqual([a.slug, b.slug]);
    const admin = await makePerson();
    await db.insert(schema.organisationMemberships).values({ organisationId: a.id, userId: admin.id, role: "admin", status: "active" });
    await signPrinciplesForOrganisation(admin, a.slug, 1);
    expect(await names({ q: tag, level: "member" })).toEqual([a.slug]);
    expect(await names({ q: tag, level: "user" })).toEqual([b.slug]);
  });
});

describe("engagement levels follow the data", () => {
  it("user, then member when an admin signs for it, anchor when an admin of Convene says so", async () => {
    const orgAdmin = await makePerson();
    const org = await makeOrganisation({ admin: orgAdmin });
    const level = async () => (await getOrganisationProfile(org.slug, null))!.level;
    expect(await level()).toBe("user");
    // A person signing for themselves does not make their organisation a member.
    await signPrinciples(orgAdmin, 1);
    expect(await level()).toBe("user");
    await signPrinciplesForOrganisation(orgAdmin, org.slug, 1);
    expect(await level()).toBe("member");
    expect(await setAnchorPartner(orgAdmin, org.slug, true)).toMatchObject({ ok: false, status: 403 });
    const siteAdmin = await makePerson({ roles: ["admin"] });
    expect(await setAnchorPartner(siteAdmin, org.slug, true)).toMatchObject({ ok: true });
    expect(await level()).toBe("anchor");
    await setAnchorPartner(siteAdmin, org.slug, false);
    expect(await level()).toBe("member");
  });
});

describe("organisation membership", () => {
  it("a verified person asks, the org admin approves, and the person is emailed", async () => {
    const orgAdmin = await makePerson({ name: "Org Admin" });
    const org = await makeOrganisation({ admin: orgAdmin });
    const p = await makePerson({ name: "Newcomer" });
    const actor = { id: p.id, emailVerifiedAt: new Date() };
    expect(await requestToJoinOrganisation(actor, org.slug)).toMatchObject({ ok: true });
    expect(await requestToJoinOrganisation(actor, org.slug)).toMatchObject({ ok: true, message: expect.stringMatching(/already asked/) });
    expect((await lastMailTo(orgAdmin.email))?.subject).toMatch(/Newcomer says they belong to .* and asks to join it/);

    const outsider = await makePerson();
    expect(await decideOrganisationRequest(outsider, org.slug, p.id, true, APP)).toMatchObject({ ok: false, status: 403 });
    expect((await getOrganisationProfile(org.slug, orgAdmin))!.pending.map((m) => m.id)).toEqual([p.id]);
    expect(await decideOrganisationRequest(orgAdmin, org.slug, p.id, true, APP)).toMatchObject({ ok: true });
    expect((await getOrganisationProfile(org.slug, null))!.members.map((m) => m.name).sort()).toEqual(["Newcomer", "Org Admin"]);
    expect((await lastMailTo(p.email))?.subject).toMatch(/You are now a member/);
  });

  it("an unverified person cannot ask to join an organisation", async () => {
    const org = await makeOrganisation();
    const p = await makePerson({ verified: false });
    expect(await requestToJoinOrganisation({ id: p.id, emailVerifiedAt: null }, org.slug)).toMatchObject({ ok: false, status: 403 });
    const rows = await db
      .select()
      .from(schema.organisationMemberships)
      .where(and(eq(schema.organisationMemberships.userId, p.id)));
    expect(rows).toHaveLength(0);
  });

  it("only org admins (or Convene's admins) edit the profile", async () => {
    const orgAdmin = await makePerson();
    const org = await makeOrganisation({ admin: orgAdmin });
    const input = {
      name: "Renamed",
      type: "charity" as const,
      about: "New about",
      regions: ["Wales"],
      focusAreas: ["food"],
      website: "https://renamed.example.org",
    };
    expect(await updateOrganisation(await makePerson(), org.slug, input)).toMatchObject({ ok: false, status: 403 });
    expect((await getOrganisationProfile(org.slug, null))!.org.name).not.toBe("Renamed");
    expect(await updateOrganisation(orgAdmin, org.slug, input)).toMatchObject({ ok: true });
    expect((await getOrganisationProfile(org.slug, null))!.org).toMatchObject({ name: "Renamed", regions: ["Wales"], website: "https://renamed.example.org" });
  });

  it("a verified person adds their organisation and becomes its admin", async () => {
    const p = await makePerson();
    const input = { name: "Brand New Org", type: "charity" as const, about: "", regions: ["London"], focusAreas: [], website: null };
    expect(await createOrganisation({ id: p.id, emailVerifiedAt: new Date() }, "brand-new-org", input)).toMatchObject({ ok: true });
    expect((await getOrganisationProfile("brand-new-org", p))!.can.manage).toBe(true);
    expect(await createOrganisation({ id: p.id, emailVerifiedAt: new Date() }, "brand-new-org", input)).toMatchObject({ ok: false, status: 409 });
  });
});

describe("the shared principles", () => {
  it("one signature per person per version, and per organisation per version, with who and when", async () => {
    const p = await makePerson();
    expect(await signPrinciples(p, 1)).toEqual({ ok: true, message: "Thank you for signing the shared principles." });
    expect(await signPrinciples(p, 1)).toEqual({ ok: true, message: "You had already signed this version." });
    await Promise.all([signPrinciples(p, 1), signPrinciples(p, 1)]);
    expect(await db.select().from(schema.principleSignatures).where(eq(schema.principleSignatures.userId, p.id))).toHaveLength(1);
    expect(await signPrinciples(p, 99)).toMatchObject({ ok: false, status: 400 });

    const org = await makeOrganisation({ admin: p });
    const member = await makePerson();
    await db.insert(schema.organisationMemberships).values({ organisationId: org.id, userId: member.id, role: "member", status: "active" });
    expect(await signPrinciplesForOrganisation(member, org.slug, 1)).toMatchObject({ ok: false, status: 403 });
    expect(await signPrinciplesForOrganisation(p, org.slug, 1)).toMatchObject({ ok: true });
    expect(await signPrinciplesForOrganisation(p, org.slug, 1)).toMatchObject({ ok: true, message: expect.stringMatching(/already signed/) });
    const sigs = await db.select().from(schema.organisationSignatures).where(eq(schema.organisationSignatures.organisationId, org.id));
    expect(sigs).toEqual([expect.objectContaining({ version: 1, signedBy: p.id, signedAt: expect.any(Date) })]);

    // Export lists both; deleting the signer keeps the organisation's signature, without them.
    const exported = await exportUserData(p.id);
    expect(exported.principlesSigned).toEqual([expect.objectContaining({ version: 1 })]);
    expect(exported.principlesSignedForOrganisations).toEqual([expect.objectContaining({ organisation: org.name, version: 1 })]);
    expect(exported.organisations).toEqual([expect.objectContaining({ slug: org.slug, role: "admin" })]);
    await deleteAccount({ userId: p.id, password: p.password });
    const after = await db.select().from(schema.organisationSignatures).where(eq(schema.organisationSignatures.organisationId, org.id));
    expect(after).toEqual([expect.objectContaining({ version: 1, signedBy: null })]);
    expect(await db.select().from(schema.principleSignatures).where(eq(schema.principleSignatures.userId, p.id))).toHaveLength(0);
  });
});

describe("the last admin, under concurrency", () => {
  async function allStepDown(guardOff: boolean) {
    const admins: Awaited<ReturnType<typeof makePerson>>[] = [];
    for (let i = 0; i < 20; i++) admins.push(await makePerson());
    const org = await makeOrganisation({ admin: admins[0] });
    await db
      .insert(schema.organisationMemberships)
      .values(
        admins.slice(1).map((a) => ({ organisationId: org.id, userId: a.id, role: "admin" as const, status: "active" as const, approvedAt: new Date() })),
      );
    const results = await withControls({ guardsOff: guardOff ? ["last-admin"] : [] }, () => Promise.all(admins.map((a) => leaveOrganisation(a, org.slug))));
    const left = await db
      .select()
      .from(schema.organisationMemberships)
      .where(and(eq(schema.organisationMemberships.organisationId, org.id), eq(schema.organisationMemberships.role, "admin")));
    return { results, left, org };
  }

  it("twenty admins leaving at once leave exactly one behind, who is told why", async () => {
    const { results, left, org } = await allStepDown(false);
    expect(left).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, status: 409, message: `You are the only admin of ${org.name}. Make another member an admin before you leave.` },
    ]);
  });

  it.runIf(testDatabaseKind() === "postgres")("control: with the guard off, the organisation is left with no admin", async () => {
    const { left } = await allStepDown(true);
    expect(left).toHaveLength(0);
  });
});
