import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { knownAccounts, rememberDevice } from "~/auth/device.server";
import { LoginForm, SignInLinkForm } from "~/auth/forms.server";
import { Field, FormError } from "~/components/forms";
import { parseForm } from "~/utils/forms.server";
import { actionHeaders } from "~/utils/headers";

export const headers = actionHeaders;

import { safeRedirect } from "~/auth/permissions.server";
import { logIn, requestSignInLink } from "~/models/users.server";
import type { ActionForms } from "~/utils/forms.server";
import { readForm } from "~/utils/forms.server";
import { done } from "~/utils/outcome";
import { refusal, respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [LoginForm, SignInLinkForm];

export const meta: MetaFunction = () => [{ title: "Log in · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.auth.user) throw redirect("/me");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const body = await readForm(request);
  if (body.get("intent") === "link") {
    // Asking for a sign-in link answers on this page (no redirect): the message sits by the form.
    const link = await parseForm(body, SignInLinkForm);
    const paused = { values: link.values, extra: () => ({ accountPaused: true, linkSent: null }) };
    if (!link.ok) return refusal(link, paused);
    const sent = await requestSignInLink({ email: link.data.email, ip: context.clientIp, appUrl: context.appUrl });
    if (!sent.ok) return refusal(sent, paused);
    return { formError: null, errors: {}, values: link.values, accountPaused: false, linkSent: sent.message };
  }
  const form = await parseForm(body, LoginForm);
  const ending = {
    values: form.values,
    extra: (refused: object) => ({ accountPaused: "accountPaused" in refused && !!refused.accountPaused, linkSent: null }),
  };
  if (!form.ok) return refusal(form, ending);
  const cookieHeader = request.headers.get("cookie");
  const result = await logIn({
    ...form.data,
    ip: context.clientIp,
    userAgent: request.headers.get("user-agent"),
    knownAccounts: await knownAccounts(cookieHeader),
  });
  if (!result.ok) return refusal(result, ending);
  const headers = new Headers({ "Set-Cookie": result.cookie });
  // This browser has now logged in to the account: it is exempt from the per-account limit.
  headers.append("Set-Cookie", await rememberDevice(cookieHeader, result.user.id));
  return respond(request, done(`You are logged in. Welcome back, ${result.user.name}.`), safeRedirect(form.data.redirectTo, "/me"), { headers });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const values: Partial<Record<string, string>> = actionData?.values ?? {};
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <h1>Log in</h1>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <input type="hidden" name="redirectTo" value={values.redirectTo ?? params.get("redirectTo") ?? ""} />
        <Field name="email" label="Email address" type="email" autoComplete="email" required defaultValue={values.email} error={errors.email} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required error={errors.password} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </Form>
      {actionData?.linkSent ? (
        <p role="status" className="panel">
          {actionData.linkSent}
        </p>
      ) : null}
      {actionData?.accountPaused ? (
        <Form method="post" className="stack panel">
          <input type="hidden" name="intent" value="link" />
          <input type="hidden" name="email" value={values.email ?? ""} />
          <p style={{ margin: 0 }}>Is this your account? We can email you a link that signs you in, without your password.</p>
          <button type="submit" className="button secondary">
            Email me a sign-in link
          </button>
        </Form>
      ) : null}
      <p>
        <Link to="/forgot-password">Forgotten your password?</Link>
      </p>
      <p>
        New to Convene? <Link to="/signup">Create an account</Link>
      </p>
    </div>
  );
}
