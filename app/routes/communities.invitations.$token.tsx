import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { FormError } from "~/components/forms";
import { acceptInvitation, peekInvitation } from "~/models/communities.server";

import type { ActionForms } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [];

export const meta: MetaFunction = () => [{ title: "Invitation · Convene" }, { name: "robots", content: "noindex" }];

// The emailed link opens this page; one press of the button joins at once (no approval).
// A button rather than joining on GET, so that mail scanners cannot use the link up.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const community = await peekInvitation(params.token ?? "");
  return { community: community ? { name: community.name, summary: community.summary } : null, signedIn: !!context.auth.user };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  return respond(request, await acceptInvitation(viewer, params.token ?? ""), (joined) => `/communities/${joined.slug}`);
}

export default function Invitation() {
  const { community, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  if (!community) {
    return (
      <div className="narrow">
        <h1>This invitation cannot be used</h1>
        <p>It has expired or has already been used. Ask the community's facilitators for a new one.</p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Join {community.name}</h1>
      <p className="lede">{community.summary}</p>
      <FormError message={actionData?.formError} />
      {signedIn ? (
        <Form method="post">
          <button type="submit" className="button">
            Accept and join {community.name}
          </button>
        </Form>
      ) : (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}>Log in</Link> or{" "}
          <Link to={`/signup?redirectTo=${encodeURIComponent(location.pathname)}`}>create an account</Link> to accept.
        </p>
      )}
    </div>
  );
}
