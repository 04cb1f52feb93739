import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError } from "~/components/forms";
import { parseForm } from "~/utils/forms.server";
import { LoginForm } from "~/auth/forms.server";
import { actionHeaders } from "~/utils/headers";

export const headers = actionHeaders;
import { logIn } from "~/models/users.server";
import { safeRedirect } from "~/auth/permissions.server";
import { setFlash } from "~/utils/flash.server";

import type { ActionForms } from "~/utils/forms.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.test.ts) finds them here.
export const actionForms: ActionForms = [LoginForm];

export const meta: MetaFunction = () => [{ title: "Log in · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.auth.user) throw redirect("/me");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, LoginForm);
  if (!form.ok) return data({ errors: form.errors, formError: null, values: form.values }, { status: 400 });
  const result = await logIn({ ...form.data, ip: context.clientIp, userAgent: request.headers.get("user-agent") });
  if (!result.ok) {
    return data(
      { errors: result.fieldErrors ?? {}, formError: result.formError ?? null, values: form.values },
      { status: result.status, headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined },
    );
  }
  const headers = new Headers({ "Set-Cookie": result.cookie });
  headers.append("Set-Cookie", await setFlash(request, { kind: "success", message: `You are logged in. Welcome back, ${result.user.name}.` }));
  return redirect(safeRedirect(form.data.redirectTo, "/me"), { headers });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  return (
    <div className="narrow">
      <h1>Log in</h1>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={values.redirectTo ?? params.get("redirectTo") ?? ""} />
        <Field name="email" label="Email address" type="email" autoComplete="email" required defaultValue={values.email} error={errors.email} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required error={errors.password} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">Forgotten your password?</Link>
      </p>
      <p>
        New to Convene? <Link to="/signup">Create an account</Link>
      </p>
    </div>
  );
}
