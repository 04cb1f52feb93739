import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Facts } from "~/components/facts";
import { Field, FormError, SelectField, TextArea } from "~/components/forms";
import { Time } from "~/components/time";
import { GapActionForm } from "~/forms/data.server";
import { endorseGap, getGapForViewer, makeGapPublic, setGapStatus } from "~/models/data-gaps.server";
import { GAP_GROUP_LABELS, GAP_KIND_LABELS, GAP_STATUS_LABELS, GAP_STATUSES, PLACE_LEVEL_LABELS } from "~/models/data-source-facets";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [GapActionForm];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.gap.question} · Data gaps · Convene` },
        {
          name: "description",
          content: `A data gap: ${data.gap.question} ${data.gap.endorsements === 1 ? "1 organisation says" : `${data.gap.endorsements} organisations say`} "us too".`,
        },
        { property: "og:title", content: data.gap.question },
      ]
    : [{ title: "Data gap · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await getGapForViewer(params.id ?? "", context.auth.user);
  if (!found) throw new Response("Not found", { status: 404 });
  const g = found.gap;
  return {
    gap: {
      id: g.id,
      question: g.question,
      kind: g.kind,
      status: g.status,
      places: g.places,
      placeLevels: g.placeLevels,
      groups: g.groups,
      shortfall: g.shortfall,
      public: g.public,
      endorsements: g.endorsements,
      createdAt: g.createdAt.toISOString(),
    },
    raisedFor: found.raisedFor,
    where: found.task?.id
      ? { kind: "task", label: found.task.title, href: `/hubs/${found.hub?.slug}/tasks/${found.task.id}` }
      : found.hub?.slug
        ? { kind: "hub", label: found.hub.title, href: `/hubs/${found.hub.slug}` }
        : found.community?.slug
          ? { kind: "community", label: found.community.name, href: `/communities/${found.community.slug}` }
          : null,
    sources: found.sources,
    endorsements: found.endorsements.map((e) => ({
      id: e.id,
      org: e.org,
      orgSlug: e.orgSlug,
      evidenceUrl: e.evidenceUrl,
      note: e.note,
      at: e.at.toISOString(),
    })),
    steps: found.steps.map((s) => ({ status: s.status, note: s.note, at: s.at.toISOString(), by: s.by ?? "a former member" })),
    myOrgs: found.myOrgs,
    can: found.can,
    shareUrl: `${context.appUrl}/data/gaps/${g.id}`,
    signedIn: !!context.auth.user,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const id = params.id ?? "";
  const here = `/data/gaps/${id}`;
  const form = await parseForm(request, GapActionForm);
  if (!form.ok) return respond(request, form, here, { values: form.values });
  const f = form.data;
  switch (f.intent) {
    case "endorse":
      return respond(request, await endorseGap(viewer, id, f), here, { values: form.values });
    case "status":
      return respond(request, await setGapStatus(viewer, id, f.status, f.stepNote), here, { values: form.values });
    case "make-public":
      return respond(request, await makeGapPublic(viewer, id), here);
  }
}

const STEP_LABELS: Record<string, string> = { ...GAP_STATUS_LABELS, made_public: "Made public" };

export default function GapPage() {
  const { gap, raisedFor, where, sources, endorsements, steps, myOrgs, can, shareUrl, signedIn } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const values = (refused && "values" in refused ? refused.values : {}) as Partial<Record<string, string>>;
  const open = myOrgs.filter((o) => !o.endorsed);
  const facts: [string, string | null][] = [
    ["Kind", GAP_KIND_LABELS[gap.kind]],
    ["Places", gap.places || null],
    ["Figures missing for", gap.placeLevels.map((l) => PLACE_LEVEL_LABELS[l]).join("; ") || null],
    ["People affected", gap.groups.map((g) => GAP_GROUP_LABELS[g]).join("; ") || null],
    ["Raised for", raisedFor],
  ];
  return (
    <>
      <p>
        <Link to="/data/gaps">Data gaps</Link>
      </p>
      <h1>{gap.question}</h1>
      <p>
        <span className="badge">{GAP_STATUS_LABELS[gap.status]}</span>
        {gap.public ? null : <span className="badge warn">Only the community's members see this gap</span>}
      </p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <p className="lede">
        <strong>
          {gap.endorsements} organisation{gap.endorsements === 1 ? "" : "s"}
        </strong>{" "}
        {gap.endorsements === 1 ? "says" : "say"} "us too".
      </p>
      <Facts facts={facts}>
        {where ? (
          <>
            <dt>Raised from</dt>
            <dd>
              the {where.kind} <Link to={where.href}>{where.label}</Link>
            </dd>
          </>
        ) : null}
        <dt>Raised on</dt>
        <dd>
          <Time value={gap.createdAt} />
        </dd>
      </Facts>
      {sources.length || gap.shortfall ? (
        <section aria-labelledby="sources-heading">
          <h2 id="sources-heading">Where the data falls short</h2>
          {sources.length ? (
            <ul>
              {sources.map((s) => (
                <li key={s.slug}>
                  <Link to={`/data/${s.slug}`}>{s.name}</Link>
                </li>
              ))}
            </ul>
          ) : null}
          {gap.shortfall ? <p className="pre-line">{gap.shortfall}</p> : null}
        </section>
      ) : null}
      {gap.public ? (
        <div className="field">
          <label htmlFor="share-link">Link to share</label>
          <input id="share-link" type="url" readOnly value={shareUrl} />
        </div>
      ) : null}
      {can.makePublic ? (
        <Form method="post" className="panel">
          <p>This gap was raised in a private community. Making it public lets every organisation read and endorse it; it cannot be made private again.</p>
          <button type="submit" name="intent" value="make-public" className="button">
            Make this gap public
          </button>
        </Form>
      ) : null}
      <section aria-labelledby="endorse-heading">
        <h2 id="endorse-heading">Organisations that say "us too"</h2>
        {endorsements.length === 0 ? <p>None yet.</p> : null}
        <ul className="plain-list">
          {endorsements.map((e) => (
            <li key={e.id}>
              <Link to={`/directory/${e.orgSlug}`}>{e.org}</Link>, <Time value={e.at} />
              {e.note ? <p className="pre-line">{e.note}</p> : null}
              {e.evidenceUrl ? (
                <p>
                  <a href={e.evidenceUrl} rel="noopener noreferrer nofollow">
                    Their evidence
                  </a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
        {can.endorse ? (
          <Form method="post" className="panel stack" noValidate>
            <h3>Say "us too"</h3>
            {open.length > 1 ? (
              <SelectField
                name="organisationId"
                label="For"
                defaultValue={values.organisationId ?? open[0].id}
                error={errors.organisationId}
                options={open.map((o) => [o.id, o.name] as const)}
              />
            ) : (
              <input type="hidden" name="organisationId" value={open[0]?.id ?? ""} />
            )}
            <Field
              name="evidenceUrl"
              label="A link to your evidence (optional)"
              type="url"
              inputMode="url"
              defaultValue={values.evidenceUrl}
              error={errors.evidenceUrl}
            />
            <TextArea name="note" label="A note (optional)" rows={2} maxLength={1000} defaultValue={values.note} error={errors.note} />
            <div className="actions">
              <button type="submit" name="intent" value="endorse" className="button">
                Us too{open.length === 1 ? `, for ${open[0].name}` : ""}
              </button>
            </div>
          </Form>
        ) : signedIn && myOrgs.length > 0 ? (
          <p>Your organisation{myOrgs.length > 1 ? "s say" : " says"} "us too" already.</p>
        ) : signedIn ? (
          <p>
            Endorsements are made for an organisation: <Link to="/directory">find yours in the directory</Link> and join it.
          </p>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`/data/gaps/${gap.id}`)}`}>Sign in</Link> to say "us too" for your organisation.
          </p>
        )}
      </section>
      <section aria-labelledby="story-heading">
        <h2 id="story-heading">What has happened so far</h2>
        <ol className="plain-list">
          {steps.map((s) => (
            <li key={`${s.at}-${s.status}`}>
              <strong>{STEP_LABELS[s.status] ?? s.status}</strong>, <Time value={s.at} /> ({s.by}){s.note ? <p className="pre-line">{s.note}</p> : null}
            </li>
          ))}
        </ol>
        {can.setStatus ? (
          <Form method="post" className="panel stack" noValidate>
            <h3>Move this gap on</h3>
            <SelectField
              name="status"
              label="Status"
              defaultValue={values.status ?? gap.status}
              error={errors.status}
              options={GAP_STATUSES.map((s) => [s, GAP_STATUS_LABELS[s]] as const)}
            />
            <TextArea
              name="stepNote"
              label="What happened"
              rows={3}
              maxLength={2000}
              defaultValue={values.stepNote}
              error={errors.stepNote}
              hint="e.g. Raised with DWP's statistics team at the user engagement meeting."
            />
            <div className="actions">
              <button type="submit" name="intent" value="status" className="button">
                Save the status
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </>
  );
}
