import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Field, FormError } from "~/components/forms";
import { approvesAnything } from "~/models/payment-claims.server";

// The payment run: approved, unpaid claims as CSV for a finance system, with full bank
// details. Approvers only, after their password again; each claim's audit log records it.
// The form posts as a whole document (reloadDocument) to the CSV's own resource route
// (payments.run[.]csv.ts), so the browser saves the file and no page ever holds its rows;
// a refusal comes back here as `?problem=…`, said beside the password field.

const PROBLEMS: Record<string, string> = {
  "wrong-password": "That is not your password",
  "too-many": "Too many wrong passwords: please wait 15 minutes and try again",
  "no-password": "Enter your password",
  off: "Payment runs are switched off on this server until its payment key is set. Please tell Convene's team.",
  unopened: "Some bank details did not open with this server's payment keys, so no payment run was made. Please tell Convene's team.",
};

export const meta: MetaFunction = () => [{ title: "Payment run · Convene" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  if (!(await approvesAnything(viewer.id))) throw new Response("Only payment approvers can export a payment run.", { status: 403 });
  const problem = new URL(request.url).searchParams.get("problem");
  return { problem: problem && problem in PROBLEMS ? PROBLEMS[problem] : null };
}

export default function PaymentRun() {
  const { problem } = useLoaderData<typeof loader>();
  const errors: Partial<Record<string, string>> = problem ? { password: problem } : {};
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
      <FormError message={problem ? "Please correct the field marked below." : null} errors={errors} />
      <Form method="post" action="/payments/run.csv" reloadDocument className="stack" noValidate>
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
