import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Field, FormError } from "~/components/forms";
import { BankFields } from "~/components/payments";
import { ClaimForm, claimInput } from "~/forms/payments.server";
import { claimStanding, mayNeedBank, submitClaim } from "~/models/payment-claims.server";
import { EXPENSE_WORDS, expenseAmountField, expenseNoteField, offerSentence, pounds, ROUTE_LABELS } from "~/models/payment-words";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

// A person claims for an event they took part in (paying people, part 2). The link in the
// mail that tells them they can claim comes here; it works only for them, signed in, and
// only until claims close (CLAIM_WINDOW_DAYS after the event).

export const actionForms: ActionForms = [ClaimForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Claim · ${data.event.title} · Convene` : "Claim · Convene" }];

const LONG_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });

const cap = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}`;

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const slug = params.slug ?? "";
  const standing = await claimStanding(viewer, slug);
  if (!standing.ok) {
    if (standing.status === 409 && standing.claimId) throw redirect(`/claims/${standing.claimId}`);
    throw new Response(standing.message, { status: standing.status });
  }
  const { event, offer, choice } = standing;
  return {
    event: { slug: event.slug, title: event.title },
    sentence: offerSentence(offer),
    honorarium: standing.honorariumPence ? pounds(standing.honorariumPence) : null,
    lowered: !!standing.offer.honorariumPence && standing.honorariumPence > 0 && standing.honorariumPence < standing.offer.honorariumPence,
    expenses: offer.expenses.map((k) => ({ kind: k, label: cap(EXPENSE_WORDS[k]) })),
    choice: choice
      ? {
          route: ROUTE_LABELS[choice.route],
          payee: choice.organisation ?? choice.charity ?? null,
          bank: mayNeedBank(choice.route),
          forCostsOnly: choice.route !== "me",
        }
      : null,
    closesOn: LONG_DATE.format(standing.closesAt),
    nothingToClaim: !!choice && standing.honorariumPence === 0 && offer.expenses.length === 0,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const slug = params.slug ?? "";
  const here = `/events/${slug}/claim`;
  const form = await parseForm(request, ClaimForm);
  if (!form.ok) return respond(request, form, here, { values: form.values });
  return respond(request, await submitClaim(viewer, slug, claimInput(form.data)), (d) => `/claims/${d.claimId}`, { values: form.values });
}

export default function Claim() {
  const { event, sentence, honorarium, lowered, expenses, choice, closesOn, nothingToClaim } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const sent = refused && "values" in refused ? (refused.values as Record<string, string>) : {};
  return (
    <div className="narrow">
      <p>
        <Link to={`/events/${event.slug}`}>{event.title}</Link>
      </p>
      <h1>Claim your payment</h1>
      <p className="lede">
        Thank you for taking part. {sentence} You can claim until {closesOn}.
      </p>
      {nothingToClaim ? (
        <p className="panel">
          You chose not to be paid, and this event pays no costs, so there is nothing to claim. If you change your mind,{" "}
          <Link to={`/events/${event.slug}/payment-choice?then=claim`}>change how you are paid</Link>.
        </p>
      ) : !choice ? (
        <div className="panel">
          <h2>First, how would you like to be paid?</h2>
          <p>Payment can affect some benefits, so you choose: paid to you, to your organisation, a voucher, a charity, or not at all.</p>
          <p>
            <Link to={`/events/${event.slug}/payment-choice?then=claim`} className="button">
              Choose how you are paid
            </Link>
          </p>
        </div>
      ) : (
        <>
          <p>
            You chose: <strong>{choice.route}</strong>
            {choice.payee ? ` (${choice.payee})` : ""}. <Link to={`/events/${event.slug}/payment-choice?then=claim`}>Change how you are paid</Link>
          </p>
          <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
          <Form method="post" className="stack" noValidate>
            <div className="panel">
              <h2>For taking part</h2>
              <p>{honorarium ? `${honorarium}, ${lowered ? "the lower amount you asked for" : "as offered"}.` : "No payment for your time."}</p>
            </div>
            {expenses.length ? (
              <fieldset className="stack">
                <legend>
                  <h2>Your costs</h2>
                </legend>
                <p className="hint">
                  Enter what each cost came to, and what it was for. You can add photos or PDFs of receipts once the claim is made, and see them again later.
                </p>
                {expenses.map((x) => (
                  <div key={x.kind} className="stack">
                    <Field
                      name={expenseAmountField(x.kind)}
                      label={`${x.label} costs, in pounds (optional)`}
                      inputMode="decimal"
                      defaultValue={sent[expenseAmountField(x.kind)]}
                      error={errors[expenseAmountField(x.kind)]}
                    />
                    <Field
                      name={expenseNoteField(x.kind)}
                      label={`What the ${x.label.toLowerCase()} costs were for`}
                      maxLength={300}
                      defaultValue={sent[expenseNoteField(x.kind)]}
                      error={errors[expenseNoteField(x.kind)]}
                      hint={x.kind === "travel" ? "For example: bus to Leeds and back, £6.40" : undefined}
                    />
                  </div>
                ))}
              </fieldset>
            ) : null}
            {choice.bank ? (
              <BankFields
                values={sent}
                errors={errors}
                legend={choice.forCostsOnly ? "Your bank details, to repay your costs (if you claim any)" : "Your bank details"}
              />
            ) : null}
            <div className="actions">
              <button type="submit" className="button">
                Make my claim
              </button>
            </div>
          </Form>
        </>
      )}
    </div>
  );
}
