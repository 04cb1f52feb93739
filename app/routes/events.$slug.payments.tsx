import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Choices } from "~/components/data-source-fields";
import { Field, FormError, SelectField } from "~/components/forms";
import { PaymentOfferForm } from "~/forms/events.server";
import { CLAIM_STATUS_WORDS, EXPENSE_KINDS, EXPENSE_WORDS, HONORARIUM_UNITS, offerSentence, pounds, ROUTE_LABELS, UNIT_WORDS } from "~/models/payment-words";
import { markPaidParticipant, paymentsPage, setPaymentOffer, withdrawPaymentOffer } from "~/models/payments.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [PaymentOfferForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Payment for taking part · ${data.event.title} · Convene` : "Payment · Convene" },
];

const amount = (pence: number | null) => (pence === null ? "" : (pence / 100).toFixed(pence % 100 === 0 ? 0 : 2));

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const page = await paymentsPage(viewer, params.slug ?? "");
  if (!page) throw new Response("Not found", { status: 404 });
  if (page === "forbidden") throw new Response("Only this event's organisers and payment approvers can see this page.", { status: 403 });
  const o = page.offer;
  return {
    event: { slug: page.event.slug, title: page.event.title },
    offer: o
      ? {
          sentence: offerSentence(o),
          honorarium: amount(o.honorariumPence),
          honorariumUnit: o.honorariumUnit,
          expenses: o.expenses,
          eligibility: o.eligibility,
          budget: amount(o.budgetPence),
        }
      : null,
    people: page.people.map((p) => ({
      userId: p.userId,
      name: p.name,
      marked: p.marked,
      claim: p.claimId ? { id: p.claimId, words: CLAIM_STATUS_WORDS[p.claimStatus ?? ""] ?? "" } : null,
      attended: p.attended,
      choice: p.route
        ? `${ROUTE_LABELS[p.route]}${p.organisation ? `: ${p.organisation}` : ""}${p.charity ? `: ${p.charity}` : ""}${p.lowerAmountPence !== null ? ` (asks for ${pounds(p.lowerAmountPence)})` : ""}`
        : null,
    })),
    can: page.can,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const slug = params.slug ?? "";
  const here = `/events/${slug}/payments`;
  const fd = await readForm(request);
  const form = await parseForm(fd, PaymentOfferForm);
  const values = { ...form.values, expenses: fd.getAll("expenses").map(String) };
  if (!form.ok) return respond(request, form, here, { values });
  const f = form.data;
  switch (f.intent) {
    case "offer":
      return respond(request, await setPaymentOffer(viewer, slug, f), here, { values });
    case "withdraw":
      return respond(request, await withdrawPaymentOffer(viewer, slug), here);
    case "mark":
      return respond(request, await markPaidParticipant(viewer, slug, f.userId, f.paid === "1"), here);
  }
}

export default function EventPayments() {
  const { event, offer, people, can } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const sent = refused && "values" in refused ? (refused.values as Record<string, string | string[]>) : null;
  const v = (k: "honorarium" | "budget" | "honorariumUnit" | "eligibility") => (sent ? (sent[k] as string | undefined) : offer?.[k]);
  return (
    <div className="narrow">
      <p>
        <Link to={`/events/${event.slug}`}>{event.title}</Link>
      </p>
      <h1>Payment for taking part</h1>
      <p className="lede">
        {offer ? offer.sentence : "This event does not offer payment yet."} People choose privately how they are paid: only they and this event's payment
        approvers (its organisers, and Convene's payments team) see their choice.
      </p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      {can.manage ? (
        <Form method="post" className="stack panel" noValidate>
          <h2>{offer ? "Change the offer" : "Offer payment"}</h2>
          <Field
            name="honorarium"
            label="Honorarium, in pounds (optional)"
            inputMode="decimal"
            defaultValue={v("honorarium")}
            error={errors.honorarium}
            hint="e.g. 50. Leave it empty to pay expenses only."
          />
          <SelectField
            name="honorariumUnit"
            label="The honorarium is"
            defaultValue={v("honorariumUnit") ?? "session"}
            error={errors.honorariumUnit}
            options={HONORARIUM_UNITS.map((u) => [u, UNIT_WORDS[u].replace(/^for /, "For ")] as const)}
          />
          <Choices
            name="expenses"
            legend="Expenses you pay"
            options={EXPENSE_KINDS.map((k) => [k, `${EXPENSE_WORDS[k][0].toUpperCase()}${EXPENSE_WORDS[k].slice(1)} costs`] as const)}
            chosen={(sent ? (sent.expenses as string[]) : offer?.expenses) ?? []}
            error={errors.expenses}
          />
          <SelectField
            name="eligibility"
            label="Who is paid"
            defaultValue={v("eligibility") ?? "all_attendees"}
            error={errors.eligibility}
            options={[
              ["all_attendees", "Everyone who takes part"],
              ["marked", "Only the people we mark below as paid participants"],
            ]}
          />
          <Field
            name="budget"
            label="Budget, in pounds (optional)"
            inputMode="decimal"
            defaultValue={v("budget")}
            error={errors.budget}
            hint="Claims that would go over it are flagged to approvers, never refused."
          />
          <div className="actions">
            <button type="submit" name="intent" value="offer" className="button">
              Save the offer
            </button>
            {offer ? (
              <button type="submit" name="intent" value="withdraw" className="button secondary" formNoValidate>
                Withdraw the offer
              </button>
            ) : null}
          </div>
        </Form>
      ) : null}
      {can.approve && offer ? (
        <section aria-labelledby="choices-heading">
          <h2 id="choices-heading">Who has a place, and how they chose to be paid</h2>
          {people.length === 0 ? <p>Nobody has a confirmed place yet.</p> : null}
          <p>
            People can claim once you mark their attendance. <Link to="/payments">All claims waiting for approval</Link>
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  {offer.eligibility === "marked" ? <th scope="col">Paid participant</th> : null}
                  <th scope="col">Their choice</th>
                  <th scope="col">Claim</th>
                </tr>
              </thead>
              <tbody>
                {people.map((p) => (
                  <tr key={p.userId}>
                    <td>{p.name}</td>
                    {offer.eligibility === "marked" ? (
                      <td>
                        {can.manage ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="mark" />
                            <input type="hidden" name="userId" value={p.userId} />
                            <input type="hidden" name="paid" value={p.marked ? "0" : "1"} />
                            <button type="submit" className="link-button">
                              {p.marked ? "Yes: unmark" : "No: mark as paid"}
                              <span className="visually-hidden"> {p.name}</span>
                            </button>
                          </Form>
                        ) : p.marked ? (
                          "Yes"
                        ) : (
                          "No"
                        )}
                      </td>
                    ) : null}
                    <td>{p.choice ?? <span className="muted">Not chosen yet</span>}</td>
                    <td>
                      {p.claim ? (
                        <Link to={`/claims/${p.claim.id}`}>{p.claim.words}</Link>
                      ) : (
                        <span className="muted">{p.attended ? "Not claimed yet" : "Attendance not marked"}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
