import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DataSearchParams, DataSourceForm } from "../../app/forms/data.server";
import {
  catalogueJsonLd,
  datasetJsonLd,
  decideSuggestion,
  getSourceForViewer,
  proposeSource,
  publishSource,
  reviewQueue,
  searchSources,
  suggestChange,
  suggestionsFor,
  updateSource,
} from "../../app/models/data-sources.server";
import { db, dbHandle, schema } from "../../app/utils/db.server";
import { parseForm } from "../../app/utils/forms.server";
import { withRequestMemo } from "../../app/utils/request-memo.server";
import { seedIfNeeded } from "../../db/seed";
import { makePerson } from "../fixtures/people";

const viewer = (p: { id: string; email: string; name: string }, roles: ("admin" | "data_steward")[] = [], verified = true) => ({
  ...p,
  emailVerifiedAt: verified ? new Date() : null,
  roles,
});
const search = (q: Record<string, string>, who: { id: string; roles: string[] } | null = null) => searchSources(DataSearchParams.parse(q), who);
const names = (rows: { name: string }[]) => rows.map((r) => r.name);

async function form(values: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) fd.append(k, one);
  const parsed = await parseForm(fd, DataSourceForm);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  return parsed.data;
}

describe("the data catalogue", () => {
  it("finds by words and by a misspelled name; facets keep only what has them; nothing matches everything by accident", async () => {
    await seedIfNeeded(dbHandle(), { force: true });
    expect(names(await search({ q: "Familly Resources" }))[0]).toBe("Family Resources Survey");
    // Each misspelled word is corrected to the catalogue's own spelling, words of topics too.
    expect(names(await search({ q: "childrn in low incme familes" }))[0]).toBe("Children in low income families: local area statistics");
    expect(names(await search({ q: "destitushun" }))).toEqual(["Destitution in the UK"]);
    expect(names(await search({ q: "food parcels" }))).toContain("Trussell food bank statistics");
    // Topics are searched too: HBAI's description never says "poverty", its topics do.
    expect(names(await search({ q: "poverty" }))).toContain("Households Below Average Income (HBAI)");
    expect(names(await search({ q: "households below average income" }))[0]).toBe("Households Below Average Income (HBAI)");
    const disability = await search({ breakdown: "disability" });
    expect(disability.length).toBeGreaterThan(0);
    for (const s of disability) expect(s.breakdowns).toContain("disability");
    expect(names(disability)).not.toContain("English Housing Survey");
    const local = await search({ level: "local_authority" });
    expect(names(local)).toEqual(expect.arrayContaining(["DWP Stat-Xplore", "Census 2021 (England and Wales)"]));
    expect(names(local)).not.toContain("Family Resources Survey");
    const all = await search({});
    for (const hostile of ['"', "%", "_", "'); drop table data_sources; --", "x".repeat(10_000), "OR", "the and of", "!!!", "a:*", "\\"]) {
      const found = await search({ q: hostile });
      expect(found.length, hostile.slice(0, 20)).toBeLessThan(all.length);
    }
    // Unknown facet values are ignored, never an error.
    expect((await search({ level: "planet", breakdown: "mood", access: "stolen" })).length).toBe(all.length);
  });

  it("a proposal is seen by its proposer and the stewards only, until a steward publishes it; history keeps each change", async () => {
    const proposer = await makePerson({ name: "Pia Proposer" });
    const steward = await makePerson({ name: "Stella Steward", roles: ["data_steward"] });
    const other = await makePerson();
    const input = await form({
      name: "Local welfare assistance returns",
      publisher: "A council",
      access: "open",
      placeLevels: ["local_authority"],
      breakdowns: [],
    });
    const made = await proposeSource(viewer(proposer), input);
    expect(made).toMatchObject({ ok: true });
    const slug = (made as { slug: string }).slug;
    expect(await getSourceForViewer(slug, viewer(other))).toBeNull();
    expect(await getSourceForViewer(slug, null)).toBeNull();
    expect(names(await search({ q: "welfare assistance" }))).toEqual([]);
    expect(names(await search({ q: "welfare assistance" }, { id: proposer.id, roles: [] }))).toEqual(["Local welfare assistance returns"]);
    // As pages ask (each request its own memo, searches shared between requests): the
    // proposer's search never answers another member's, in either order.
    const asPage = (who: { id: string; roles: string[] }) => withRequestMemo(() => search({ q: "welfare assistance" }, who));
    expect(names(await asPage({ id: other.id, roles: [] }))).toEqual([]);
    expect(names(await asPage({ id: proposer.id, roles: [] }))).toEqual(["Local welfare assistance returns"]);
    expect(names(await asPage({ id: other.id, roles: [] }))).toEqual([]);
    // Only stewards and admins publish; someone else cannot even see it.
    expect(await publishSource(viewer(proposer), slug)).toMatchObject({ ok: false, status: 403 });
    expect(await publishSource(viewer(other), slug)).toMatchObject({ ok: false, status: 404 });
    expect(await updateSource(viewer(proposer), slug, { ...input, coverage: "Wales" })).toMatchObject({ ok: true });
    expect(await publishSource(viewer(steward, ["data_steward"]), slug)).toMatchObject({ ok: true });
    expect(await publishSource(viewer(steward, ["data_steward"]), slug)).toMatchObject({ ok: false, status: 409 });
    expect(await getSourceForViewer(slug, null)).not.toBeNull();
    // Published: its proposer no longer edits it; a steward does.
    expect(await updateSource(viewer(proposer), slug, input)).toMatchObject({ ok: false, status: 403 });
    const page = await getSourceForViewer(slug, viewer(other));
    expect(page?.history.map((h) => h.what)).toEqual(["published", "edited", "proposed"]);
    expect(await proposeSource(viewer(other, [], false), input)).toMatchObject({ ok: false, status: 403 });
  });

  it("refuses links that are not http(s) and unknown choices, beside the field", async () => {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ name: "X", publisher: "Y", url: "javascript:alert(1)", access: "stolen", placeLevels: "planet", firstYear: "99999" }))
      fd.append(k, v);
    const parsed = await parseForm(fd, DataSourceForm);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.fieldErrors).sort()).toEqual(["access", "firstYear", "placeLevels", "url"]);
  });

  it("JSON-LD names the publisher and licence, and the catalogue export holds only what is published", async () => {
    const [frs] = await db.select().from(schema.dataSources).where(eq(schema.dataSources.name, "Family Resources Survey"));
    const ld = JSON.parse(JSON.stringify(datasetJsonLd({ ...frs, licence: "Open Government Licence v3.0" }, "http://localhost/data/frs")));
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Dataset",
      name: "Family Resources Survey",
      publisher: { "@type": "Organization", name: "Department for Work and Pensions" },
      license: "Open Government Licence v3.0",
      spatialCoverage: { "@type": "Place", name: "UK" },
    });
    const catalogue = await catalogueJsonLd("http://localhost");
    expect(catalogue["@type"]).toBe("DataCatalog");
    expect(catalogue.dataset.map((d) => d.name)).toContain("Family Resources Survey");
    expect(catalogue.dataset.map((d) => d.name)).not.toContain("Citizens Advice data");
  });

  it("someone who may not edit a published entry suggests a change; only a steward applies it (kept in the history) or declines it", async () => {
    const member = await makePerson({ name: "Sam Suggester" });
    const steward = await makePerson({ name: "Sue Steward", roles: ["data_steward"] });
    const before = (await getSourceForViewer("english-housing-survey", null))!.source;
    const {
      id: _i,
      slug: _s,
      status: _st,
      proposedBy: _p,
      publishedBy: _pb,
      createdAt: _c,
      updatedAt: _u,
      publishedAt: _pa,
      search: _se,
      ...rest
    } = before as typeof before & { search?: unknown };
    const same = rest as unknown as Parameters<typeof suggestChange>[2];
    expect(await suggestChange(viewer(member), before.slug, same)).toMatchObject({ ok: true, message: expect.stringContaining("nothing to suggest") });
    expect(await suggestChange(viewer(member), before.slug, { ...same, latestRelease: "2024 to 2025" })).toMatchObject({ ok: true });
    expect(await suggestChange(viewer(member), before.slug, { ...same, coverage: "Everywhere" })).toMatchObject({ ok: true });
    // The entry is unchanged until a steward decides.
    expect((await getSourceForViewer(before.slug, null))!.source.latestRelease).toBe(before.latestRelease);
    const waiting = await suggestionsFor(before, viewer(steward, ["data_steward"]));
    expect(waiting.map((w) => w.changes)).toEqual([
      [{ field: "Latest release", now: before.latestRelease ?? "", suggested: "2024 to 2025" }],
      [{ field: "Where it covers", now: before.coverage, suggested: "Everywhere" }],
    ]);
    expect((await suggestionsFor(before, viewer(await makePerson()))).length).toBe(0);
    // The stewards' queue across the catalogue lists them; nobody else has one.
    expect((await reviewQueue(viewer(steward, ["data_steward"])))?.suggestions.filter((x) => x.slug === before.slug)).toHaveLength(2);
    expect(await reviewQueue(viewer(member))).toBeNull();
    // Stewards heard, in one entry that counts what arrived; the suggester did not.
    const news = async (who: { id: string }) =>
      db
        .select()
        .from(schema.notifications)
        .where(and(eq(schema.notifications.userId, who.id), eq(schema.notifications.kind, "data_review")));
    const [heard] = await news(steward);
    expect(heard).toMatchObject({ path: "/data/review", text: "A change suggested to English Housing Survey" });
    expect(heard.changes).toBeGreaterThanOrEqual(2);
    expect(await news(member)).toEqual([]);
    expect(await decideSuggestion(viewer(member), before.slug, waiting[0].id, true)).toMatchObject({ ok: false, status: 403 });
    expect(await decideSuggestion(viewer(steward, ["data_steward"]), before.slug, waiting[0].id, true)).toMatchObject({ ok: true });
    expect(await decideSuggestion(viewer(steward, ["data_steward"]), before.slug, waiting[1].id, false)).toMatchObject({ ok: true });
    expect(await decideSuggestion(viewer(steward, ["data_steward"]), before.slug, waiting[1].id, true)).toMatchObject({ ok: false, status: 409 });
    const after = (await getSourceForViewer(before.slug, null))!;
    expect(after.source).toMatchObject({ latestRelease: "2024 to 2025", coverage: before.coverage });
    expect(after.history[0]).toMatchObject({ what: "edited", by: "Sue Steward" });
  });
});
