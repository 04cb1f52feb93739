import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { SignupForm } from "~/auth/forms.server";
import { Field, FormError } from "~/components/forms";
import { parseForm } from "~/utils/forms.server";
import { actionHeaders } from "~/utils/headers";

export const headers = actionHeaders;

import { safeRedirect } from "~/auth/permissions.server";
import { signUp } from "~/models/users.server";

import type { ActionForms } from "~/utils/forms.server";
import { done } from "~/utils/outcome";
import { refusal, respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [SignupForm];

export const meta: MetaFunction = () => [{ title: "Sign up · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.auth.user) throw redirect("/me");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, SignupForm);
  if (!form.ok) return refusal(form, { values: form.values });
  const result = await signUp({
    ...form.data,
    ip: context.clientIp,
    userAgent: request.headers.get("user-agent"),
    appUrl: context.appUrl,
  });
  if (!result.ok) return refusal(result, { values: form.values });
  const welcome = done(`Welcome, ${result.user.name}. We have emailed you a link to confirm your address.`);
  return respond(request, welcome, safeRedirect(form.data.redirectTo, "/me"), { headers: { "Set-Cookie": result.cookie } });
}

export default function Signup() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  return (
    <div className="narrow">
      <h1>Create your account</h1>
      <p className="lede">Join webinars, communities of practice and shared research.</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <input type="hidden" name="redirectTo" value={values.redirectTo ?? params.get("redirectTo") ?? ""} />
        <Field name="name" label="Your name" autoComplete="name" required defaultValue={values.name} error={errors.name} />
        <Field name="email" label="Email address" type="email" autoComplete="email" required defaultValue={values.email} error={errors.email} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters. A few unrelated words make a strong password."
          error={errors.password}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </Form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </div>
  );
}
