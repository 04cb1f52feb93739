import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ResetPasswordForm } from "~/auth/forms.server";
import { Field, FormError } from "~/components/forms";
import { EXPIRED_LINK, peekToken, resetPassword } from "~/models/users.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { done } from "~/utils/outcome";
import { refusal, respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [ResetPasswordForm];

export const meta: MetaFunction = () => [{ title: "Choose a new password · Convene" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const valid = !!(await peekToken(params.token ?? "", "reset_password"));
  return { valid, expiredMessage: EXPIRED_LINK };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await parseForm(request, ResetPasswordForm);
  if (!form.ok) return refusal(form);
  const result = await resetPassword({ token: params.token ?? "", password: form.data.password, userAgent: request.headers.get("user-agent") });
  if (!result.ok) return refusal({ ...result, message: result.message ?? EXPIRED_LINK });
  const changed = done("Your password has been changed, every other session was signed out, and you are logged in.");
  return respond(request, changed, "/me", { headers: { "Set-Cookie": result.cookie } });
}

export default function ResetPassword() {
  const { valid, expiredMessage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  if (!valid && !actionData) {
    return (
      <div className="narrow">
        <h1>This link cannot be used</h1>
        <p>{expiredMessage}</p>
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Choose a new password</h1>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <Field
          name="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters."
          error={errors.password}
        />
        <Field name="confirmPassword" label="New password again" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
        <button type="submit" className="button">
          Set new password
        </button>
      </Form>
    </div>
  );
}
