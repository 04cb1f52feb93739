import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Facts } from "~/components/facts";
import { Field, FormError, SelectField, TextArea } from "~/components/forms";
import { BankFields, ClaimStatus } from "~/components/payments";
import { Time } from "~/components/time";
import { ClaimActionForm } from "~/forms/payments.server";
import { answerQuery, approveClaim, changeBankDetails, claimPage, markClaimPaid, queryClaim, rejectClaim, withdrawClaim } from "~/models/payment-claims.server";
import { AUDIT_WORDS, CLAIM_STATUS_WORDS, EXPENSE_WORDS, PAID_METHOD_WORDS, pounds, ROUTE_LABELS, STEP_WORDS } from "~/models/payment-words";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

// One claim's page, for its claimant and its approvers (nobody else: anyone else gets 404).
// The claimant adds receipts, changes bank details, answers a question or withdraws; an
// approver approves, asks a question, says no with a reason, or marks it paid. What each can
// do comes from `claimCapabilities`, the same function each action checks under the lock.

export const actionForms: ActionForms = [ClaimActionForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Claim · ${data.claim.eventTitle} · Convene` : "Claim · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const page = await claimPage(viewer, params.id ?? "");
  if (!page) throw new Response("Not found", { status: 404 });
  const c = page.claim;
  return {
    claim: {
      id: c.id,
      eventTitle: c.eventTitle,
      status: c.status,
      statusWords: CLAIM_STATUS_WORDS[c.status],
      payee: c.payeeName,
      route: ROUTE_LABELS[c.route],
      to: c.organisationName ?? c.charity,
      honorarium: c.honorariumPence ? pounds(c.honorariumPence) : null,
      total: pounds(c.honorariumPence + c.expensesPence),
      bank: c.bankLast2 ? (c.bankDeletedAt ? `deleted (the account ended ${c.bankLast2})` : `the account ending ${c.bankLast2}`) : null,
      attendedOn: c.attendedOn.toISOString(),
      paid: c.paidAt ? { at: c.paidAt.toISOString(), method: c.paidMethod ? PAID_METHOD_WORDS[c.paidMethod] : null, reference: c.paidReference } : null,
    },
    eventSlug: page.eventSlug,
    expenses: page.expenses.map((x) => ({
      kind: `${EXPENSE_WORDS[x.kind][0].toUpperCase()}${EXPENSE_WORDS[x.kind].slice(1)}`,
      description: x.description,
      amount: pounds(x.amountPence),
    })),
    receipts: page.receipts.map((r) => ({
      id: r.id,
      filename: r.filename,
      kind: r.kind ? EXPENSE_WORDS[r.kind] : null,
      size: `${Math.max(1, Math.round(r.bytes / 1024))} KB`,
    })),
    approvals: page.approvals,
    approvalsNeeded: page.approvalsNeeded,
    steps: page.steps.map((s) => ({ words: STEP_WORDS[s.step], by: s.by, message: s.message, at: s.at.toISOString() })),
    log: page.log.map((l) => ({ words: AUDIT_WORDS[l.action], by: l.by, detail: l.detail, at: l.at.toISOString() })),
    budget: page.budget
      ? {
          budget: page.budget.budget === null ? null : pounds(page.budget.budget),
          committed: pounds(page.budget.committed),
          waiting: pounds(page.budget.waiting),
          over: page.budget.budget !== null && page.budget.committed + page.budget.waiting > page.budget.budget,
        }
      : null,
    own: page.who.own,
    waitsForSecond: page.approvedByMe && page.claim.status === "submitted",
    can: page.can,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const id = params.id ?? "";
  const here = `/claims/${id}`;
  const form = await parseForm(request, ClaimActionForm);
  if (!form.ok) return respond(request, form.fieldErrors.intent ? oneMessage(form) : form, here, { values: form.values });
  const f = form.data;
  switch (f.intent) {
    case "approve":
      return respond(request, await approveClaim(viewer, id), here);
    case "query":
      return respond(request, await queryClaim(viewer, id, f.message), here, { values: form.values });
    case "reject":
      return respond(request, await rejectClaim(viewer, id, f.message), here, { values: form.values });
    case "answer":
      return respond(request, await answerQuery(viewer, id, f.message), here, { values: form.values });
    case "withdraw":
      return respond(request, await withdrawClaim(viewer, id), here);
    case "paid":
      return respond(request, await markClaimPaid(viewer, id, f), here, { values: form.values });
    case "bank":
      return respond(request, await changeBankDetails(viewer, id, f), here, { values: form.values });
  }
}

export default function ClaimPage() {
  const { claim, eventSlug, expenses, receipts, approvals, approvalsNeeded, steps, log, budget, own, waitsForSecond, can } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const sent = refused && "values" in refused ? (refused.values as Record<string, string>) : {};
  const lastQuery = [...steps].reverse().find((s) => s.words === STEP_WORDS.queried);
  return (
    <div className="narrow">
      <p>{eventSlug ? <Link to={`/events/${eventSlug}`}>{claim.eventTitle}</Link> : claim.eventTitle}</p>
      <h1>
        {own ? "Your claim" : `${claim.payee}'s claim`} <ClaimStatus status={claim.status} words={claim.statusWords} />
      </h1>
      <p className="lede">
        {claim.total} for “{claim.eventTitle}”. {own ? "Only you and the people who approve payments for this event can see this page." : null}
      </p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      {can.answer && lastQuery ? (
        <section className="stack panel" aria-labelledby="question-heading">
          <h2 id="question-heading">A question for you</h2>
          <blockquote>{lastQuery.message}</blockquote>
          <MessageForm intent="answer" label="Your answer" button="Send my answer" sent={sent} errors={errors} primary />
        </section>
      ) : null}
      <Facts
        facts={[
          ["Paid", claim.paid ? `${claim.paid.method ?? ""}${claim.paid.reference ? `, reference ${claim.paid.reference}` : ""}` : null],
          ["How", `${claim.route}${claim.to ? ` (${claim.to})` : ""}`],
          ["For taking part", claim.honorarium],
          ["Bank details", claim.bank],
        ]}
      >
        <dt>Event ended</dt>
        <dd>
          <Time value={claim.attendedOn} />
        </dd>
        {claim.paid ? (
          <>
            <dt>Paid on</dt>
            <dd>
              <Time value={claim.paid.at} />
            </dd>
          </>
        ) : null}
      </Facts>
      <h2>Costs</h2>
      {expenses.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Cost</th>
                <th scope="col">What it was for</th>
                <th scope="col">Amount</th>
              </tr>
            </thead>
            <tbody>
              {expenses.map((x) => (
                <tr key={x.kind}>
                  <td>{x.kind}</td>
                  <td>{x.description}</td>
                  <td>{x.amount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No costs claimed.</p>
      )}
      <h2>Receipts</h2>
      {receipts.length ? (
        <ul>
          {receipts.map((r) => (
            <li key={r.id}>
              <a href={`/claims/${claim.id}/receipts/${r.id}`} download>
                {r.filename}
              </a>{" "}
              <span className="muted small">
                ({r.kind ? `${r.kind}, ` : ""}
                {r.size}; downloads, and each download is logged below)
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>No receipts yet.</p>
      )}
      {can.addReceipt ? (
        <p>
          <Link to={`/claims/${claim.id}/receipt`} className="button secondary">
            Add a receipt
          </Link>
        </p>
      ) : null}
      {can.changeBank ? (
        <details className="panel" open={!!(errors.accountName || errors.sortCode || errors.accountNumber) || !claim.bank}>
          <summary>{claim.bank ? "Change your bank details" : "Add your bank details"}</summary>
          <Form method="post" className="stack" noValidate>
            <BankFields values={sent} errors={errors} legend={claim.bank ? "New bank details" : "Your bank details"} />
            <div className="actions">
              <button type="submit" name="intent" value="bank" className="button secondary">
                Save bank details
              </button>
            </div>
          </Form>
        </details>
      ) : null}
      {budget ? (
        <p className={budget.over ? "panel warn" : "muted"}>
          {budget.budget ? `This event's budget is ${budget.budget}: ` : "This event has no budget set: "}
          {budget.committed} approved or paid, {budget.waiting} waiting.{budget.over ? " Approving everything waiting would go over the budget." : ""}
        </p>
      ) : null}
      {can.approve || can.query || can.reject || can.markPaid ? (
        <section className="stack panel" aria-labelledby="decide-heading">
          <h2 id="decide-heading">Your decision</h2>
          {approvalsNeeded === 2 ? (
            <p>
              Over the threshold: two different approvers must approve. Approvals so far: {approvals} of 2.
              {waitsForSecond ? " One is yours: it now needs someone else's." : ""}
            </p>
          ) : null}
          {can.approve ? (
            <Form method="post">
              <button type="submit" name="intent" value="approve" className="button">
                Approve
              </button>
            </Form>
          ) : null}
          {can.query ? <MessageForm intent="query" label="Ask the claimant a question" button="Send the question" sent={sent} errors={errors} /> : null}
          {can.reject ? <MessageForm intent="reject" label="Or say why it is not approved" button="Do not approve" sent={sent} errors={errors} /> : null}
          {can.markPaid ? (
            <Form method="post" className="stack" noValidate>
              <SelectField
                name="method"
                label="How it was paid"
                defaultValue={sent.method}
                error={errors.method}
                options={[["", "Choose one"] as const, ...Object.entries(PAID_METHOD_WORDS)]}
              />
              <Field name="reference" label="Payment reference (optional)" maxLength={100} defaultValue={sent.reference} error={errors.reference} />
              <Field name="paidOn" label="Date paid (optional, today if empty)" type="date" defaultValue={sent.paidOn} error={errors.paidOn} />
              <div className="actions">
                <button type="submit" name="intent" value="paid" className="button">
                  Mark as paid
                </button>
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}
      <h2>What has happened</h2>
      <ol className="timeline">
        {steps.map((s, i) => (
          <li key={`${s.at}-${i}`}>
            <strong>{s.words}</strong>
            {s.by ? ` by ${s.by}` : ""}, <Time value={s.at} />
            {s.message ? <p>{s.message}</p> : null}
          </li>
        ))}
      </ol>
      <h2>{own ? "Who has seen your receipts and bank details" : "Who has seen the receipts and bank details"}</h2>
      {log.length ? (
        <ul>
          {log.map((l, i) => (
            <li key={`${l.at}-${i}`}>
              {l.by ?? "Convene"} {l.words}
              {l.detail ? ` (${l.detail})` : ""}, <Time value={l.at} />
            </li>
          ))}
        </ul>
      ) : (
        <p>Nobody yet.</p>
      )}
      {can.withdraw ? (
        <Form method="post" className="stack">
          <h2>Withdraw your claim</h2>
          <p>If you no longer want to claim, withdraw it: any bank details you gave with it are deleted at once.</p>
          <button type="submit" name="intent" value="withdraw" className="button secondary">
            Withdraw my claim
          </button>
        </Form>
      ) : null}
    </div>
  );
}

/** A message with its button (a question, a reason, an answer): the message and its error kept with the form that sent it. */
function MessageForm(p: {
  intent: string;
  label: string;
  button: string;
  sent: Record<string, string>;
  errors: Partial<Record<string, string>>;
  primary?: boolean;
}) {
  const mine = p.sent.intent === p.intent;
  return (
    <Form method="post" className="stack" noValidate>
      <TextArea
        name="message"
        // The form that was sent keeps the plain id, so the error summary's link reaches it.
        id={mine ? undefined : `field-message-${p.intent}`}
        label={p.label}
        rows={3}
        maxLength={2000}
        defaultValue={mine ? p.sent.message : undefined}
        error={mine ? p.errors.message : undefined}
      />
      <div className="actions">
        <button type="submit" name="intent" value={p.intent} className={p.primary ? "button" : "button secondary"}>
          {p.button}
        </button>
      </div>
    </Form>
  );
}
