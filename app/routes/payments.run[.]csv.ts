import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/auth/permissions.server";
import { PaymentRunForm } from "~/forms/payments.server";
import { approvesAnything, paymentRun } from "~/models/payment-claims.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";

// The payment run's CSV (see payments.run._index.tsx): a resource route, so the rows go to
// the browser as a download and never into a rendered page. Approvers only, after their
// password; a refusal goes back to the form with its reason.

export const actionForms: ActionForms = [PaymentRunForm];

export async function loader({ context }: LoaderFunctionArgs) {
  requireUser(context);
  return redirect("/payments/run");
}

const back = (problem: string) => redirect(`/payments/run?problem=${problem}`);

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  if (!(await approvesAnything(viewer.id))) throw new Response("Only payment approvers can export a payment run.", { status: 403 });
  const form = await parseForm(request, PaymentRunForm);
  if (!form.ok) return back(form.fieldErrors.password === "Enter your password" ? "no-password" : "wrong-password");
  const run = await paymentRun(viewer, form.data.password);
  if (!run.ok) return back(run.status === 429 ? "too-many" : run.status === 503 ? "unopened" : run.status === 403 ? "off" : "wrong-password");
  const day = new Date().toISOString().slice(0, 10);
  return new Response(run.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="convene-payment-run-${day}.csv"`,
    },
  });
}
