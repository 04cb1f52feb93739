import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { requireUser } from "~/auth/permissions.server";
import { Facts } from "~/components/facts";
import { FormError, SelectField, TextArea } from "~/components/forms";
import { Time } from "~/components/time";
import { SourcePageForm } from "~/forms/data.server";
import { gapsAgainstSource } from "~/models/data-gaps.server";
import { ACCESS_LABELS, BREAKDOWN_LABELS, FREQUENCY_LABELS, GAP_STATUS_LABELS, PLACE_LEVEL_LABELS } from "~/models/data-source-facets";
import {
  addSourceNote,
  datasetJsonLd,
  decideSourceNote,
  decideSuggestion,
  getSourceForViewer,
  notesForSource,
  publishSource,
  suggestionsFor,
  tasksUsingSource,
} from "~/models/data-sources.server";
import { STATUS_LABELS } from "~/models/task-status";
import { activeOrganisations } from "~/models/tasks.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { useNonce } from "~/utils/nonce";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [SourcePageForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.source.name} · Data sources · Convene` : "Data source · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await getSourceForViewer(params.slug ?? "", context.auth.user);
  if (!found) throw new Response("Not found", { status: 404 });
  const s = found.source;
  const viewer = context.auth.user;
  const [notes, tasks, gaps, orgs, suggestions] = await Promise.all([
    notesForSource(s.id, viewer),
    tasksUsingSource(s.id),
    gapsAgainstSource(s.id, viewer),
    viewer?.emailVerifiedAt ? activeOrganisations(viewer.id) : Promise.resolve([]),
    suggestionsFor(s, viewer),
  ]);
  const steward = !!viewer && (viewer.roles.includes("data_steward") || viewer.roles.includes("admin"));
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
    can: { ...found.can, note: !!viewer?.emailVerifiedAt && s.status === "published", decideNotes: steward, raiseGap: !!viewer?.emailVerifiedAt },
    notes: notes.map((n) => ({ id: n.id, body: n.body, status: n.status, org: n.org, at: n.at.toISOString() })),
    tasks,
    gaps,
    suggestions: suggestions.map((x) => ({ ...x, at: x.at.toISOString() })),
    orgs: orgs.map((o) => ({ id: o.id, name: o.name })),
    // What data portals and search engines read (schema.org Dataset).
    jsonLd: JSON.stringify(datasetJsonLd(s, `${context.appUrl}/data/${s.slug}`)).replace(/</g, "\\u003c"),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const here = `/data/${params.slug ?? ""}`;
  const slug = params.slug ?? "";
  const form = await parseForm(request, SourcePageForm);
  if (!form.ok) return respond(request, form.fieldErrors.intent ? oneMessage(form) : form, here, { values: form.values });
  const f = form.data;
  switch (f.intent) {
    case "publish":
      return respond(request, await publishSource(viewer, slug), here);
    case "note":
      return respond(request, await addSourceNote(viewer, slug, f.body, f.organisationId), here, { values: form.values });
    case "approve-note":
    case "decline-note":
      return respond(request, await decideSourceNote(viewer, slug, f.noteId, f.intent === "approve-note" ? "approved" : "declined"), here);
    case "apply-suggestion":
    case "decline-suggestion":
      return respond(request, await decideSuggestion(viewer, slug, f.suggestionId, f.intent === "apply-suggestion"), here);
  }
}

const WHAT = { proposed: "Proposed", edited: "Changed", published: "Published" } as const;

export default function DataSourcePage() {
  const { source: s, history, can, jsonLd, notes, tasks, gaps, orgs, suggestions } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const values = (refused && "values" in refused ? refused.values : {}) as Partial<Record<string, string>>;
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
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      {can.publish || can.edit || can.suggest ? (
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
          {can.suggest ? (
            <Link to={`/data/${s.slug}/edit`} className="button secondary">
              Suggest an improvement
            </Link>
          ) : null}
        </div>
      ) : null}
      {suggestions.length ? (
        <section aria-labelledby="suggestions-heading" className="panel">
          <h2 id="suggestions-heading">{can.decideSuggestions ? "Suggested changes waiting for you" : "Your suggestion"}</h2>
          <ul className="plain-list">
            {suggestions.map((x) => (
              <li key={x.id}>
                <p className="muted">
                  {can.decideSuggestions ? `From ${x.by}, ` : "Sent "}
                  <Time value={x.at} />
                  {x.mine && !can.decideSuggestions ? ": waiting for a data steward." : ""}
                </p>
                <dl className="facts">
                  {x.changes.map((c) => (
                    <Fragment key={c.field}>
                      <dt>{c.field}</dt>
                      <dd>
                        {c.suggested || "(empty)"} <span className="muted small">(now: {c.now || "empty"})</span>
                      </dd>
                    </Fragment>
                  ))}
                </dl>
                {can.decideSuggestions ? (
                  <Form method="post" className="actions">
                    <input type="hidden" name="suggestionId" value={x.id} />
                    <button type="submit" name="intent" value="apply-suggestion" className="button">
                      Apply it
                    </button>
                    <button type="submit" name="intent" value="decline-suggestion" className="button secondary">
                      Decline it
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {s.measures ? <p className="lede">{s.measures}</p> : null}
      {s.url ? (
        <p>
          <a href={s.url} rel="noopener noreferrer">
            Go to the data at {s.publisher}
          </a>
        </p>
      ) : null}
      <Facts facts={facts} />
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
      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes of context</h2>
        <p className="hint">What people who know this data, and the lives it describes, want you to know before using it.</p>
        {notes.length === 0 ? <p>No notes yet.</p> : null}
        <ul className="plain-list">
          {notes.map((n) => (
            <li key={n.id}>
              <p className="pre-line">{n.body}</p>
              <p className="muted">
                {n.org ? `From ${n.org}, ` : "From a member, "}
                <Time value={n.at} />
                {n.status === "pending" ? <span className="badge warn">Waiting for a data steward</span> : null}
              </p>
              {can.decideNotes && n.status === "pending" ? (
                <Form method="post" className="actions">
                  <input type="hidden" name="noteId" value={n.id} />
                  <button type="submit" name="intent" value="approve-note" className="button">
                    Approve this note
                  </button>
                  <button type="submit" name="intent" value="decline-note" className="button secondary">
                    Decline it
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {can.note ? (
          <Form method="post" className="panel stack" noValidate>
            <h3>Add a note of context</h3>
            <TextArea
              name="body"
              label="Your note"
              rows={3}
              maxLength={2000}
              defaultValue={values.body}
              error={errors.body}
              hint="e.g. This survey misses people living in temporary accommodation. A data steward reads each note before it is shown."
            />
            {orgs.length ? (
              <SelectField
                name="organisationId"
                label="Name your organisation with it?"
                defaultValue={values.organisationId ?? ""}
                error={errors.organisationId}
                options={[["", "No, show it without a name"] as const, ...orgs.map((o) => [o.id, `Yes: ${o.name}`] as const)]}
              />
            ) : null}
            <div className="actions">
              <button type="submit" name="intent" value="note" className="button">
                Send the note
              </button>
            </div>
          </Form>
        ) : null}
      </section>
      <section aria-labelledby="used-heading">
        <h2 id="used-heading">Research that used it</h2>
        {tasks.length === 0 ? <p>No research task on Convene has linked it yet.</p> : null}
        <ul className="plain-list">
          {tasks.map((t) => (
            <li key={t.id}>
              <Link to={`/hubs/${t.hubSlug}/tasks/${t.id}`}>{t.title}</Link> ({t.hubTitle}, {STATUS_LABELS[t.status].toLowerCase()})
              {t.outputUrl ? (
                <>
                  {" · "}
                  <a href={t.outputUrl} rel="noopener noreferrer">
                    what it published
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="gaps-heading">
        <h2 id="gaps-heading">Gaps raised against it</h2>
        {gaps.length === 0 ? <p>None yet.</p> : null}
        <ul className="plain-list">
          {gaps.map((g) => (
            <li key={g.id}>
              <Link to={`/data/gaps/${g.id}`}>{g.question}</Link> ({GAP_STATUS_LABELS[g.status].toLowerCase()}, {g.endorsements} endorsement
              {g.endorsements === 1 ? "" : "s"})
            </li>
          ))}
        </ul>
        {can.raiseGap && s.status === "published" ? (
          <p>
            <Link to={`/data/gaps/new?source=${encodeURIComponent(s.slug)}`}>Raise a gap about this source</Link>
          </p>
        ) : null}
      </section>
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
