import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { requireUser } from "~/auth/permissions.server";
import { FormError } from "~/components/forms";
import { Time } from "~/components/time";
import { PublishSourceForm } from "~/forms/data.server";
import { ACCESS_LABELS, BREAKDOWN_LABELS, FREQUENCY_LABELS, PLACE_LEVEL_LABELS } from "~/models/data-source-facets";
import { datasetJsonLd, getSourceForViewer, publishSource } from "~/models/data-sources.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { useNonce } from "~/utils/nonce";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [PublishSourceForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.source.name} · Data sources · Convene` : "Data source · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await getSourceForViewer(params.slug ?? "", context.auth.user);
  if (!found) throw new Response("Not found", { status: 404 });
  const s = found.source;
  return {
    source: {
      slug: s.slug,
      name: s.name,
      publisher: s.publisher,
      url: s.url,
      measures: s.measures,
      topics: s.topics,
      coverage: s.coverage,
      placeLevels: s.placeLevels,
      firstYear: s.firstYear,
      latestRelease: s.latestRelease,
      frequency: s.frequency,
      breakdowns: s.breakdowns,
      licence: s.licence,
      access: s.access,
      methods: s.methods,
      qualityIssues: s.qualityIssues,
      contact: s.contact,
      status: s.status,
    },
    history: found.history.map((h) => ({ what: h.what, at: h.at.toISOString(), by: h.by ?? "a former member" })),
    can: found.can,
    // What data portals and search engines read (schema.org Dataset).
    jsonLd: JSON.stringify(datasetJsonLd(s, `${context.appUrl}/data/${s.slug}`)).replace(/</g, "\\u003c"),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const here = `/data/${params.slug ?? ""}`;
  const form = await parseForm(request, PublishSourceForm);
  if (!form.ok) return respond(request, oneMessage(form), here);
  return respond(request, await publishSource(viewer, params.slug ?? ""), here);
}

const WHAT = { proposed: "Proposed", edited: "Changed", published: "Published" } as const;

export default function DataSourcePage() {
  const { source: s, history, can, jsonLd } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const nonce = useNonce();
  const facts: [string, string | null][] = [
    ["Publisher", s.publisher],
    ["Where it covers", s.coverage || null],
    ["Figures for", s.placeLevels.map((l) => PLACE_LEVEL_LABELS[l]).join("; ") || null],
    ["Broken down by", s.breakdowns.map((b) => BREAKDOWN_LABELS[b]).join(", ") || null],
    ["First year", s.firstYear ? String(s.firstYear) : null],
    ["Latest release", s.latestRelease],
    ["Released", s.frequency ? FREQUENCY_LABELS[s.frequency] : null],
    ["Access", ACCESS_LABELS[s.access]],
    ["Licence", s.licence],
    ["Topics", s.topics.join(", ") || null],
    ["Who to ask", s.contact],
  ];
  return (
    <>
      <script type="application/ld+json" nonce={nonce} dangerouslySetInnerHTML={{ __html: jsonLd }} />
      <p>
        <Link to="/data">Data sources</Link>
      </p>
      <h1>{s.name}</h1>
      {s.status === "proposed" ? <p className="badge warn">Waiting for a data steward to publish it: only you and the stewards see it</p> : null}
      <FormError message={refused && "formError" in refused ? refused.formError : null} />
      {can.publish || can.edit ? (
        <div className="actions">
          {can.publish ? (
            <Form method="post">
              <button type="submit" name="intent" value="publish" className="button">
                Publish this entry
              </button>
            </Form>
          ) : null}
          {can.edit ? (
            <Link to={`/data/${s.slug}/edit`} className="button secondary">
              Improve this entry
            </Link>
          ) : null}
        </div>
      ) : null}
      {s.measures ? <p className="lede">{s.measures}</p> : null}
      {s.url ? (
        <p>
          <a href={s.url} rel="noopener noreferrer">
            Go to the data at {s.publisher}
          </a>
        </p>
      ) : null}
      <dl className="facts">
        {facts
          .filter((f): f is [string, string] => !!f[1])
          .map(([term, value]) => (
            <Fragment key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
      </dl>
      {s.methods ? (
        <section aria-labelledby="methods-heading">
          <h2 id="methods-heading">Methods</h2>
          <p className="pre-line">{s.methods}</p>
        </section>
      ) : null}
      {s.qualityIssues ? (
        <section aria-labelledby="quality-heading">
          <h2 id="quality-heading">Known quality issues</h2>
          <p className="pre-line">{s.qualityIssues}</p>
        </section>
      ) : null}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History of this entry</h2>
        <ul className="plain-list">
          {history.map((h) => (
            <li key={`${h.at}-${h.what}`}>
              {WHAT[h.what]} by {h.by}, <Time value={h.at} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
