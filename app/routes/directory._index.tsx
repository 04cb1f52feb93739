import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { LevelBadge } from "~/components/badges";
import { FilterSelect, SearchActions } from "~/components/forms";
import { DirectorySearchForm } from "~/forms/directory.server";
import { focusAreasInUse, searchDirectory } from "~/models/directory.server";
import { ENGAGEMENT_LABELS, ENGAGEMENT_LEVELS, ORGANISATION_TYPE_LABELS, UK_REGIONS } from "~/models/organisation-types";

export const meta: MetaFunction = () => [{ title: "Organisation directory · Convene" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = DirectorySearchForm.safeParse(params);
  const filters = parsed.success ? parsed.data : {};
  const orgs = await searchDirectory(filters);
  return {
    filters: { q: filters.q ?? "", type: filters.type ?? "", region: filters.region ?? "", focus: filters.focus ?? "", level: filters.level ?? "" },
    orgs: orgs.map((o) => ({
      slug: o.slug,
      name: o.name,
      type: o.type,
      regions: o.regions,
      focusAreas: o.focusAreas,
      level: o.level,
      memberCount: o.memberCount,
    })),
    types: Object.entries(ORGANISATION_TYPE_LABELS),
    regions: UK_REGIONS as readonly string[],
    focusAreas: await focusAreasInUse(),
    levels: ENGAGEMENT_LEVELS.map((l) => [l, ENGAGEMENT_LABELS[l].label] as const),
    canAdd: !!context.auth.user?.emailVerifiedAt,
  };
}

export default function Directory() {
  const { filters, orgs, types, regions, focusAreas, levels, canAdd } = useLoaderData<typeof loader>();
  const typeLabel = Object.fromEntries(types);
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <h1>Organisation directory</h1>
      <p className="lede">Find partners: charities, think tanks, advice services, universities, councils, funders and lived-experience groups.</p>
      <Form method="get" role="search" aria-label="Search the directory" className="panel">
        <div className="field">
          <label htmlFor="filter-q">Name</label>
          <input id="filter-q" type="search" name="q" defaultValue={filters.q} />
        </div>
        {/* Folded so that on a phone the organisations start on the first screen. */}
        <details className="more-filters" open={filters.type || filters.region || filters.focus || filters.level ? true : undefined}>
          <summary>Filter by type, region, focus or engagement</summary>
          <div className="filters">
            <FilterSelect name="type" label="Type" value={filters.type} options={types} />
            <FilterSelect name="region" label="Region" value={filters.region} options={regions.map((r) => [r, r] as const)} />
            <FilterSelect name="focus" label="Focus area" value={filters.focus} options={focusAreas.map((f) => [f, f] as const)} />
            <FilterSelect name="level" label="Engagement" value={filters.level} options={levels} />
          </div>
        </details>
        <SearchActions submit="Search" clearTo="/directory" clearLabel="Clear the filters" filtered={filtered} />
      </Form>
      <h2 aria-live="polite">
        {orgs.length} organisation{orgs.length === 1 ? "" : "s"}
        {filtered ? " match" : ""}
      </h2>
      {orgs.length === 0 ? <p>No organisation matches. Try fewer filters.</p> : null}
      <ul className="cards">
        {orgs.map((o) => (
          <li key={o.slug}>
            <h3>
              <Link to={`/directory/${o.slug}`}>{o.name}</Link>
            </h3>
            <p>
              <span className="badge">{typeLabel[o.type]}</span>
              <LevelBadge level={o.level} />
            </p>
            <p className="muted">{o.regions.join(", ")}</p>
            <p>{o.focusAreas.join(" · ")}</p>
          </li>
        ))}
      </ul>
      {canAdd ? (
        <p>
          Is your organisation missing? <Link to="/directory/new">Add it to the directory</Link>.
        </p>
      ) : null}
    </>
  );
}
