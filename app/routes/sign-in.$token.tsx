import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { rememberDevice } from "~/auth/device.server";
import { EmailedLinkPage } from "~/components/emailed-link";
import { EXPIRED_LINK, peekToken, signInWithLink } from "~/models/users.server";
import type { ActionForms } from "~/utils/forms.server";
import { done } from "~/utils/outcome";
import { refusal, respond } from "~/utils/results.server";

// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [];

export const meta: MetaFunction = () => [{ title: "Sign in · Convene" }, { name: "robots", content: "noindex" }];

// An emailed single-use sign-in link opens this page; only its button signs in (mail
// scanners follow links, and must not use the token up).
export async function loader({ params }: LoaderFunctionArgs) {
  return { valid: !!(await peekToken(params.token ?? "", "sign_in")), expiredMessage: EXPIRED_LINK };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const result = await signInWithLink({ token: params.token ?? "", userAgent: request.headers.get("user-agent") });
  if (!result.ok) return refusal({ ...result, status: 400, message: result.message ?? EXPIRED_LINK });
  const headers = new Headers({ "Set-Cookie": result.cookie });
  headers.append("Set-Cookie", await rememberDevice(request.headers.get("cookie"), result.user.id));
  return respond(request, done(`You are signed in. Welcome back, ${result.user.name}.`), "/me", { headers });
}

export default function SignInWithLink() {
  const { valid, expiredMessage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <EmailedLinkPage
      valid={valid}
      expiredMessage={expiredMessage}
      title="Sign in to Convene"
      button="Sign me in"
      formError={actionData?.formError}
      whatNext={
        <>
          <Link to="/login">Log in</Link> with your password, or ask for a new link there.
        </>
      }
    />
  );
}
