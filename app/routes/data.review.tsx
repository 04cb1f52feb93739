import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Time } from "~/components/time";
import { reviewQueue } from "~/models/data-sources.server";

export const meta: MetaFunction = () => [{ title: "Waiting for a data steward · Data sources · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const queue = await reviewQueue(viewer);
  if (!queue) throw new Response("Only data stewards and admins review the catalogue.", { status: 403 });
  const at = <T extends { at: Date }>(rows: T[]) => rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  return { proposals: at(queue.proposals), notes: at(queue.notes), suggestions: at(queue.suggestions) };
}

export default function DataReview() {
  const { proposals, notes, suggestions } = useLoaderData<typeof loader>();
  const nothing = proposals.length + notes.length + suggestions.length === 0;
  return (
    <>
      <p>
        <Link to="/data">Data sources</Link>
      </p>
      <h1>Waiting for a data steward</h1>
      <p className="lede">Oldest first. Each links to the entry's page, where you publish, approve, apply or decline.</p>
      {nothing ? <p>Nothing is waiting. Thank you.</p> : null}
      <section aria-labelledby="proposals-heading">
        <h2 id="proposals-heading">New entries proposed ({proposals.length})</h2>
        <ul className="plain-list">
          {proposals.map((p) => (
            <li key={p.slug}>
              <Link to={`/data/${p.slug}`}>{p.name}</Link>, from {p.by ?? "a former member"}, <Time value={p.at} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes of context ({notes.length})</h2>
        <ul className="plain-list">
          {notes.map((n) => (
            <li key={`${n.slug}-${n.at}`}>
              On <Link to={`/data/${n.slug}#notes-heading`}>{n.name}</Link>, <Time value={n.at} />:{" "}
              <span className="pre-line">{n.body.length > 200 ? `${n.body.slice(0, 197)}…` : n.body}</span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="suggestions-heading">
        <h2 id="suggestions-heading">Suggested changes ({suggestions.length})</h2>
        <ul className="plain-list">
          {suggestions.map((x) => (
            <li key={`${x.slug}-${x.at}`}>
              To <Link to={`/data/${x.slug}`}>{x.name}</Link>, from {x.by ?? "a former member"}, <Time value={x.at} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
