import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { EmailedLinkPage } from "~/components/emailed-link";
import { EXPIRED_LINK, peekToken, verifyEmail } from "~/models/users.server";

import type { ActionForms } from "~/utils/forms.server";
import { done } from "~/utils/outcome";
import { refusal, respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [];

export const meta: MetaFunction = () => [{ title: "Confirm your email · Convene" }, { name: "robots", content: "noindex" }];

// The link opens a page with a button rather than confirming on GET: mail scanners
// that follow links must not use up the token.
export async function loader({ params }: LoaderFunctionArgs) {
  return { valid: !!(await peekToken(params.token ?? "", "verify_email")), expiredMessage: EXPIRED_LINK };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const result = await verifyEmail(params.token ?? "");
  if (!result.ok) return refusal({ ...result, status: 400, message: result.message ?? EXPIRED_LINK });
  return respond(request, done("Thank you: your email address is confirmed."), context.auth.user ? "/me" : "/login");
}

export default function VerifyEmail() {
  const { valid, expiredMessage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <EmailedLinkPage
      valid={valid}
      expiredMessage={expiredMessage}
      title="Confirm your email address"
      button="Confirm my email address"
      formError={actionData?.formError}
      whatNext={
        <>
          Log in and open <Link to="/me">My account</Link> to send a new confirmation email.
        </>
      }
    />
  );
}
