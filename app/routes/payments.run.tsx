import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Field, FormError } from "~/components/forms";
import { PaymentRunForm } from "~/forms/payments.server";
import { approvesAnything, paymentRun } from "~/models/payment-claims.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

// The payment run: approved, unpaid claims as CSV for a finance system, with full bank
// details. Approvers only, after their password again; each claim's audit log records it.
// The form posts as a whole document (reloadDocument), so the browser saves the file.

export const actionForms: ActionForms = [PaymentRunForm];

export const meta: MetaFunction = () => [{ title: "Payment run · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  if (!(await approvesAnything(viewer.id))) throw new Response("Only payment approvers can export a payment run.", { status: 403 });
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const here = "/payments/run";
  if (!(await approvesAnything(viewer.id))) throw new Response("Only payment approvers can export a payment run.", { status: 403 });
  const form = await parseForm(request, PaymentRunForm);
  if (!form.ok) return respond(request, form, here);
  const run = await paymentRun(viewer, form.data.password);
  if (!run.ok) return respond(request, run, here);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(run.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="convene-payment-run-${day}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}

export default function PaymentRun() {
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  return (
    <div className="narrow">
      <p>
        <Link to="/payments">Claims to approve</Link>
      </p>
      <h1>Export a payment run</h1>
      <p className="lede">
        A CSV of every approved claim not yet paid, with full bank details, for your finance system. Each claimant can see that their details were exported, by
        whom and when. Keep the file safe and delete it once the payments are made; then mark each claim paid.
      </p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <Form method="post" reloadDocument className="stack" noValidate>
        <Field name="password" label="Your password, again" type="password" autoComplete="current-password" error={errors.password} />
        <div className="actions">
          <button type="submit" className="button">
            Download the CSV
          </button>
        </div>
      </Form>
    </div>
  );
}
