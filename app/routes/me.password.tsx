import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { ChangePasswordForm } from "~/auth/forms.server";
import { requireSession } from "~/auth/permissions.server";
import { Field, FormError } from "~/components/forms";
import { changePassword } from "~/models/users.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { done } from "~/utils/outcome";
import { refusal, respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [ChangePasswordForm];

export const meta: MetaFunction = () => [{ title: "Change your password · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireSession(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, session } = requireSession(context);
  const form = await parseForm(request, ChangePasswordForm);
  if (!form.ok) return refusal(form);
  const result = await changePassword({
    userId: viewer.id,
    currentSessionId: session.id,
    currentPassword: form.data.currentPassword,
    newPassword: form.data.newPassword,
    appUrl: context.appUrl,
  });
  if (!result.ok) return refusal(result);
  const others = result.endedSessions ? ` ${result.endedSessions} other session${result.endedSessions === 1 ? " was" : "s were"} signed out.` : "";
  return respond(request, done(`Your password has been changed.${others}`), "/me");
}

export default function ChangePassword() {
  const actionData = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <h1>Change your password</h1>
      <p>Changing your password signs you out everywhere except here.</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required error={errors.currentPassword} />
        <Field
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters."
          error={errors.newPassword}
        />
        <Field name="confirmPassword" label="New password again" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
        <div className="actions">
          <button type="submit" className="button">
            Change password
          </button>
          <Link to="/me">Cancel</Link>
        </div>
      </Form>
    </div>
  );
}
