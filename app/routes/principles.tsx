import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Fragment } from "react";
import { requireUser } from "~/auth/permissions.server";
import { FormError } from "~/components/forms";
import { Time } from "~/components/time";
import { SignPrinciplesForm } from "~/forms/directory.server";
import { ENGAGEMENT_LABELS, ENGAGEMENT_LEVELS } from "~/models/organisation-types";
import { principlesPage, signPrinciples, signPrinciplesForOrganisation } from "~/models/principles.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { refuse } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [SignPrinciplesForm];

export const meta: MetaFunction = () => [{ title: "Shared principles · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const page = await principlesPage(context.auth.user);
  if (!page) throw new Response("Not found", { status: 404 });
  return { ...page, signedIn: !!context.auth.user };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const form = await parseForm(request, SignPrinciplesForm);
  if (!form.ok) return respond(request, refuse(400, "That signature could not be recorded."), "/principles");
  const { version, as } = form.data;
  const result = as === "me" ? await signPrinciples(viewer, version) : await signPrinciplesForOrganisation(viewer, as, version);
  return respond(request, result, "/principles");
}

const ENGAGEMENT_GLOSSARY: Record<(typeof ENGAGEMENT_LEVELS)[number], string> = {
  user: "It is in the directory: someone from it has an account.",
  member: "It has signed these shared principles.",
  contributor: "Its people lead or help with research tasks on a moment hub.",
  connector: "Its people organise events on Convene.",
  anchor: "Convene's admins named it an anchor partner: it helps run Convene.",
};

export default function Principles() {
  const { version, title, html, publishedAt, mySignature, myOrganisations, signedOrgs, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  return (
    <>
      <h1>{title}</h1>
      <p className="muted">
        Version {version}, published <Time value={publishedAt} />
      </p>
      <FormError message={actionData?.formError} />
      <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />

      <section className="panel" aria-labelledby="sign-heading">
        <h2 id="sign-heading" style={{ marginTop: 0 }}>
          Sign the principles
        </h2>
        {!signedIn ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}>Log in</Link> to sign, for yourself or for your organisation.
          </p>
        ) : (
          <>
            {mySignature ? (
              <p>
                You signed version {version} on <Time value={mySignature.signedAt} />.
              </p>
            ) : (
              <Form method="post">
                <input type="hidden" name="version" value={version} />
                <input type="hidden" name="as" value="me" />
                <button type="submit" className="button">
                  Sign as myself
                </button>
              </Form>
            )}
            {myOrganisations.length ? (
              <>
                <h3>For the organisations you administer</h3>
                <ul className="request-list">
                  {myOrganisations.map((o) => (
                    <li key={o.slug} style={{ marginBottom: "0.5rem" }}>
                      {o.signedAt ? (
                        <>
                          {o.name} signed on <Time value={o.signedAt} />.
                        </>
                      ) : (
                        <Form method="post" className="actions">
                          <input type="hidden" name="version" value={version} />
                          <input type="hidden" name="as" value={o.slug} />
                          <button type="submit" className="button secondary">
                            Sign for {o.name}
                          </button>
                        </Form>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        )}
      </section>

      <section aria-labelledby="signed-heading">
        <h2 id="signed-heading">Organisations that have signed</h2>
        {signedOrgs.length ? (
          <ul>
            {signedOrgs.map((o) => (
              <li key={o.slug}>
                <Link to={`/directory/${o.slug}`}>{o.name}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p>None yet.</p>
        )}
      </section>
      <section aria-labelledby="engagement-levels">
        <h2 id="engagement-levels">What the organisation badges mean</h2>
        <p>Each organisation in the directory has one badge, the highest that is true of it. They follow from what it does on Convene.</p>
        <dl className="facts">
          {ENGAGEMENT_LEVELS.map((l) => (
            <Fragment key={l}>
              <dt>{ENGAGEMENT_LABELS[l].label}</dt>
              <dd>{ENGAGEMENT_GLOSSARY[l]}</dd>
            </Fragment>
          ))}
        </dl>
      </section>
    </>
  );
}
