import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { DeleteAccountForm } from "~/auth/forms.server";
import { requireUser } from "~/auth/permissions.server";
import { blankSessionCookie } from "~/auth/session.server";
import { Field, FormError } from "~/components/forms";
import { deleteAccount } from "~/models/account-data.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [DeleteAccountForm];

export const meta: MetaFunction = () => [{ title: "Delete your account · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireUser(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const form = await parseForm(request, DeleteAccountForm);
  const result = form.ok ? await deleteAccount({ userId: viewer.id, password: form.data.password }) : form;
  return respond(request, result, "/", { kind: "info", headers: { "Set-Cookie": blankSessionCookie() } });
}

export default function DeleteAccount() {
  const actionData = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <h1>Delete your account</h1>
      <p>
        This deletes your account and the data Convene holds about you, straight away. It cannot be undone. You may want to{" "}
        <a href="/me/export" download>
          download your data
        </a>{" "}
        first.
      </p>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <Field name="password" label="Your password, to confirm" type="password" autoComplete="current-password" required error={errors.password} />
        <div className="actions">
          <button type="submit" className="button danger">
            Delete my account
          </button>
          <Link to="/me">Keep my account</Link>
        </div>
      </Form>
    </div>
  );
}
