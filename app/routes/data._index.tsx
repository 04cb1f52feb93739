import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FilterSelect, SearchActions } from "~/components/forms";
import { DataSearchParams } from "~/forms/data.server";
import { ACCESS_LABELS, ACCESS_ROUTES, BREAKDOWN_LABELS, BREAKDOWNS, PLACE_LEVEL_LABELS, PLACE_LEVELS } from "~/models/data-source-facets";
import { searchSources } from "~/models/data-sources.server";

export const meta: MetaFunction = () => [{ title: "Data sources · Convene" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const f = DataSearchParams.parse(Object.fromEntries(new URL(request.url).searchParams));
  const viewer = context.auth.user;
  const sources = await searchSources(f, viewer ? { id: viewer.id, roles: viewer.roles } : null);
  return {
    filters: { q: f.q, level: f.level ?? "", breakdown: f.breakdown ?? "", access: f.access ?? "" },
    sources,
    canPropose: !!viewer?.emailVerifiedAt,
    steward: !!viewer && (viewer.roles.includes("data_steward") || viewer.roles.includes("admin")),
  };
}

export default function DataSources() {
  const { filters, sources, canPropose, steward } = useLoaderData<typeof loader>();
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <h1>Data sources</h1>
      <p className="lede">
        Find the data behind a question: what each source measures, where and when, how it can be broken down, how to get it and what to watch out for.
      </p>
      {steward ? (
        <p>
          <Link to="/data/review">What is waiting for a data steward</Link>
        </p>
      ) : null}
      <Form method="get" role="search" aria-label="Search the data sources" className="panel">
        <div className="field">
          <label htmlFor="filter-q">Words or a name</label>
          <input id="filter-q" type="search" name="q" defaultValue={filters.q} maxLength={200} />
        </div>
        <details className="more-filters" open={filters.level || filters.breakdown || filters.access ? true : undefined}>
          <summary>Filter by place, breakdown or access</summary>
          <div className="filters">
            <FilterSelect name="level" label="Figures for" value={filters.level} options={PLACE_LEVELS.map((l) => [l, PLACE_LEVEL_LABELS[l]] as const)} />
            <FilterSelect
              name="breakdown"
              label="Broken down by"
              value={filters.breakdown}
              options={BREAKDOWNS.map((b) => [b, BREAKDOWN_LABELS[b]] as const)}
            />
            <FilterSelect name="access" label="Access" value={filters.access} options={ACCESS_ROUTES.map((a) => [a, ACCESS_LABELS[a]] as const)} />
          </div>
        </details>
        <SearchActions submit="Search" clearTo="/data" clearLabel="Clear the search" filtered={filtered} />
      </Form>
      <h2 aria-live="polite">
        {sources.length} source{sources.length === 1 ? "" : "s"}
        {filtered ? " found" : ""}
      </h2>
      {sources.length === 0 ? <p>Nothing matches. Try other words or fewer filters.</p> : null}
      <ul className="cards">
        {sources.map((s) => (
          <li key={s.slug}>
            <h3>
              <Link to={`/data/${s.slug}`}>{s.name}</Link>
            </h3>
            <p className="muted">
              {s.publisher}
              {s.coverage ? ` · ${s.coverage}` : ""}
            </p>
            <p>
              {s.status === "proposed" ? <span className="badge warn">Waiting to be published</span> : null}
              <span className="badge">{ACCESS_LABELS[s.access].split(":")[0]}</span>
            </p>
            {s.measures ? <p>{s.measures.length > 220 ? `${s.measures.slice(0, 217)}…` : s.measures}</p> : null}
          </li>
        ))}
      </ul>
      <p>
        {canPropose ? (
          <>
            Missing a source? <Link to="/data/new">Propose it</Link>.{" "}
          </>
        ) : null}
        The whole catalogue as <a href="/data.json">JSON (schema.org)</a>. What the data cannot answer yet: <Link to="/data/gaps">the data-gap register</Link>.
      </p>
    </>
  );
}
