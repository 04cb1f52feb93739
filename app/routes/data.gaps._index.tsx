import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FilterSelect, SearchActions } from "~/components/forms";
import { GapSearchParams } from "~/forms/data.server";
import { hubsWithGaps, searchGaps } from "~/models/data-gaps.server";
import {
  GAP_GROUP_LABELS,
  GAP_GROUPS,
  GAP_KIND_LABELS,
  GAP_KINDS,
  GAP_STATUS_LABELS,
  GAP_STATUSES,
  PLACE_LEVEL_LABELS,
  PLACE_LEVELS,
} from "~/models/data-source-facets";

export const meta: MetaFunction = () => [
  { title: "Data gaps · Convene" },
  { name: "description", content: "Questions about poverty in the UK that the data cannot answer yet, and who needs the answers." },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const f = GapSearchParams.parse(Object.fromEntries(params));
  const viewer = context.auth.user;
  const [gaps, hubs] = await Promise.all([searchGaps(f, viewer), hubsWithGaps()]);
  const filters = { kind: f.kind ?? "", level: f.level ?? "", group: f.group ?? "", status: f.status ?? "", hub: f.hub ?? "", sort: f.sort ?? "" };
  const query = new URLSearchParams(Object.entries(filters).filter(([k, v]) => v && k !== "sort")).toString();
  return {
    filters,
    query,
    hubs,
    gaps: gaps.map((g) => ({ ...g, createdAt: g.createdAt.toISOString() })),
    canRaise: !!viewer?.emailVerifiedAt,
  };
}

export default function DataGaps() {
  const { filters, query, hubs, gaps, canRaise } = useLoaderData<typeof loader>();
  const filtered = Object.entries(filters).some(([k, v]) => v && k !== "sort");
  const suffix = query ? `?${query}` : "";
  return (
    <>
      <p>
        <Link to="/data">Data sources</Link>
      </p>
      <h1>Data gaps</h1>
      <p className="lede">
        Questions the data cannot answer yet: a subject nobody measures, places it does not reach, people it does not count. Say "us too" for your organisation
        so the case for better data is heard.
      </p>
      {canRaise ? (
        <p>
          <Link to="/data/gaps/new" className="button">
            Raise a data gap
          </Link>
        </p>
      ) : null}
      <Form method="get" role="search" aria-label="Filter the data gaps" className="panel">
        <div className="filters">
          <FilterSelect name="kind" label="Kind" value={filters.kind} options={GAP_KINDS.map((k) => [k, GAP_KIND_LABELS[k]] as const)} />
          <FilterSelect name="level" label="Missing figures for" value={filters.level} options={PLACE_LEVELS.map((l) => [l, PLACE_LEVEL_LABELS[l]] as const)} />
          <FilterSelect name="group" label="People affected" value={filters.group} options={GAP_GROUPS.map((g) => [g, GAP_GROUP_LABELS[g]] as const)} />
          <FilterSelect name="status" label="Status" value={filters.status} options={GAP_STATUSES.map((s) => [s, GAP_STATUS_LABELS[s]] as const)} />
          {hubs.length ? <FilterSelect name="hub" label="Hub" value={filters.hub} options={hubs.map((h) => [h.slug, h.title] as const)} /> : null}
          <div className="field">
            <label htmlFor="filter-sort">Order</label>
            <select id="filter-sort" name="sort" defaultValue={filters.sort}>
              <option value="">Most endorsed first</option>
              <option value="newest">Newest first</option>
            </select>
          </div>
        </div>
        <SearchActions submit="Show gaps" clearTo="/data/gaps" clearLabel="Clear the filters" filtered={filtered} />
      </Form>
      <h2 aria-live="polite">
        {gaps.length} gap{gaps.length === 1 ? "" : "s"}
        {filtered ? " found" : ""}
      </h2>
      {gaps.length === 0 ? <p>No gaps match. Try fewer filters.</p> : null}
      <ul className="cards">
        {gaps.map((g) => (
          <li key={g.id}>
            <h3>
              <Link to={`/data/gaps/${g.id}`}>{g.question}</Link>
            </h3>
            <p>
              <span className="badge">{GAP_STATUS_LABELS[g.status]}</span>
              {g.public ? null : <span className="badge warn">Only your community sees this</span>}
            </p>
            <p className="muted">
              {GAP_KIND_LABELS[g.kind]}
              {g.places ? ` · ${g.places}` : ""}
              {g.hub ? ` · ${g.hub}` : ""}
            </p>
            <p>
              <strong>
                {g.endorsements} organisation{g.endorsements === 1 ? "" : "s"}
              </strong>{" "}
              {g.endorsements === 1 ? "says" : "say"} "us too"
            </p>
          </li>
        ))}
      </ul>
      <p>
        Download {filtered ? "these gaps" : "the register"} as <a href={`/data/gaps.csv${suffix}`}>a spreadsheet (CSV)</a> or{" "}
        <a href={`/data/gaps.json${suffix}`}>JSON</a>.
      </p>
    </>
  );
}
