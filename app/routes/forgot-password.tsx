import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { ForgotPasswordForm } from "~/auth/forms.server";
import { Field, FormError } from "~/components/forms";
import { parseForm } from "~/utils/forms.server";
import { actionHeaders } from "~/utils/headers";

export const headers = actionHeaders;

import { RESET_REQUESTED, requestPasswordReset } from "~/models/users.server";

import type { ActionForms } from "~/utils/forms.server";
import { refusal } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [ForgotPasswordForm];

export const meta: MetaFunction = () => [{ title: "Forgotten password · Convene" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, ForgotPasswordForm);
  const sent = { values: form.values, extra: () => ({ sent: false }) };
  if (!form.ok) return refusal(form, sent);
  const result = await requestPasswordReset({ email: form.data.email, ip: context.clientIp, appUrl: context.appUrl });
  if (!result.ok) return refusal(result, sent);
  // Answered on this page, the same words whether or not the address has an account.
  return { errors: {}, formError: null, sent: true, message: RESET_REQUESTED, values: form.values };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  if (actionData?.sent) {
    return (
      <div className="narrow">
        <h1>Check your email</h1>
        <p role="status">{"message" in actionData ? actionData.message : null}</p>
        <p>
          <Link to="/login">Back to log in</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Forgotten your password?</h1>
      <p>Enter the email address of your account and we will email you a link to choose a new password.</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <Field name="email" label="Email address" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={errors.email} />
        <button type="submit" className="button">
          Email me a link
        </button>
      </Form>
    </div>
  );
}
