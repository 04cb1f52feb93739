import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Field, FormError, SelectField } from "~/components/forms";
import { PaymentChoiceForm } from "~/forms/events.server";
import { offerSentence, PAYMENT_ROUTES, ROUTE_LABELS } from "~/models/payment-words";
import { choicePage, savePaymentChoice } from "~/models/payments.server";
import { env } from "~/utils/env.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [PaymentChoiceForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `How you are paid · ${data.event.title} · Convene` : "How you are paid · Convene" },
];

const ROUTE_HINTS: Record<(typeof PAYMENT_ROUTES)[number], string> = {
  me: "Paid to you. It may count as earnings for some benefits.",
  organisation: "Paid to an organisation you belong to, for the time it gives.",
  voucher: "A shopping voucher instead of money.",
  donate: "We give it to a charity you name.",
  none: "You take part unpaid. Expenses are still yours to claim.",
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const page = await choicePage(viewer, params.slug ?? "");
  if (!page) throw new Response("Not found", { status: 404 });
  if (page === "not-eligible")
    throw new Response("This event's payment is for the people it names: the organisers can tell you if that includes you.", { status: 403 });
  const c = page.choice;
  return {
    event: { slug: page.event.slug, title: page.event.title },
    sentence: offerSentence(page.offer),
    hasFee: !!page.offer.honorariumPence,
    orgs: page.orgs,
    choice: c
      ? {
          route: c.route,
          organisationId: c.organisationId ?? "",
          charity: c.charity ?? "",
          lowerAmount: c.lowerAmountPence === null ? "" : (c.lowerAmountPence / 100).toFixed(c.lowerAmountPence % 100 === 0 ? 0 : 2),
        }
      : null,
    adviceUrl: env().PAYMENT_ADVICE_URL,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const slug = params.slug ?? "";
  const form = await parseForm(request, PaymentChoiceForm);
  if (!form.ok) return respond(request, form, `/events/${slug}/payment-choice`, { values: form.values });
  // From the claim form, back to it; otherwise to the event.
  const then = new URL(request.url).searchParams.get("then") === "claim" ? `/events/${slug}/claim` : `/events/${slug}`;
  return respond(request, await savePaymentChoice(viewer, slug, form.data), then, { values: form.values });
}

export default function PaymentChoice() {
  const { event, sentence, hasFee, orgs, choice, adviceUrl } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const sent = refused && "values" in refused ? (refused.values as Record<string, string>) : null;
  const chosen = sent?.route ?? choice?.route ?? "";
  return (
    <div className="narrow">
      <p>
        <Link to={`/events/${event.slug}`}>{event.title}</Link>
      </p>
      <h1>How would you like to be paid?</h1>
      <p className="lede">{sentence}</p>
      <div className="panel">
        <h2>Before you choose</h2>
        <p>
          Payment for taking part can count as earnings for some benefits, such as Universal Credit; expenses usually do not. If you receive benefits, you can
          ask for a lower amount, have it paid to your organisation, take a voucher, give it to a charity, or say no thanks.
        </p>
        <p>
          <a href={adviceUrl} rel="noopener noreferrer">
            Free, independent advice about payments and benefits
          </a>
        </p>
      </div>
      <p>Only you and the people who approve payments for this event can see your choice.</p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <Form method="post" className="stack" noValidate>
        <fieldset className={errors.route ? "field field-invalid" : "field"} aria-describedby={errors.route ? "field-route-error" : undefined}>
          <legend>Your choice</legend>
          {errors.route ? (
            <span className="field-error" id="field-route-error">
              {errors.route}
            </span>
          ) : null}
          {PAYMENT_ROUTES.map((r, i) => (
            <label key={r} className="choice">
              <input type="radio" name="route" value={r} id={i === 0 ? "field-route" : undefined} defaultChecked={chosen === r} />{" "}
              <strong>{ROUTE_LABELS[r]}</strong>
              <span className="hint"> {ROUTE_HINTS[r]}</span>
            </label>
          ))}
        </fieldset>
        {orgs.length ? (
          <SelectField
            name="organisationId"
            label="Your organisation (if you chose to have it paid)"
            defaultValue={sent?.organisationId ?? choice?.organisationId ?? ""}
            error={errors.organisationId}
            options={[["", "Choose one"] as const, ...orgs.map((o) => [o.id, o.name] as const)]}
          />
        ) : null}
        <Field
          name="charity"
          label="The charity (if you chose to give it)"
          maxLength={200}
          defaultValue={sent?.charity ?? choice?.charity}
          error={errors.charity}
        />
        {hasFee ? (
          <Field
            name="lowerAmount"
            label="A lower amount, in pounds (optional)"
            inputMode="decimal"
            defaultValue={sent?.lowerAmount ?? choice?.lowerAmount}
            error={errors.lowerAmount}
            hint="If a lower amount suits you better, for example to stay within a benefit's earnings limit."
          />
        ) : null}
        <div className="actions">
          <button type="submit" className="button">
            Save my choice
          </button>
        </div>
      </Form>
    </div>
  );
}
