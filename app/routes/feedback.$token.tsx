import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormError, TextArea } from "~/components/forms";
import { FeedbackForm } from "~/forms/notifications.server";
import { giveFeedback, peekFeedback } from "~/models/feedback.server";
import { ACCESSIBLE_ANSWERS, ACCESSIBLE_LABELS } from "~/models/feedback-answers";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

// The short form a day after an event, opened from its mail without logging in.
export const actionForms: ActionForms = [FeedbackForm];

export const meta: MetaFunction = () => [{ title: "How was it? · Convene" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  return { request: await peekFeedback(params.token) };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const here = `/feedback/${params.token ?? ""}`;
  const form = await parseForm(request, FeedbackForm);
  if (!form.ok) return respond(request, form, here, { values: form.values });
  const { named, ...answers } = form.data;
  return respond(request, await giveFeedback(params.token, { ...answers, named: named === "named" }), here);
}

export default function Feedback() {
  const { request } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const values = (refused && "values" in refused ? refused.values : {}) as Record<string, string>;
  if (!request) {
    return (
      <div className="narrow">
        <h1>This link does not work</h1>
        <p>It is not one of ours, or it was copied only in part. Nothing has been changed.</p>
      </div>
    );
  }
  if (request.answered) {
    return (
      <div className="narrow">
        <h1>How was {request.title}?</h1>
        <p>You have answered already. Thank you: the organisers read every answer.</p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>How was {request.title}?</h1>
      <p className="lede">Five short questions. Only the first two must be answered.</p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <Form method="post" className="stack">
        <fieldset className={errors.useful ? "field field-invalid" : "field"}>
          <legend>Was it useful to you?</legend>
          <span className="hint">1 is not at all, 5 is very useful.</span>
          {errors.useful ? <span className="field-error">{errors.useful}</span> : null}
          <div className="scale">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n}>
                <input type="radio" name="useful" value={n} id={n === 1 ? "field-useful" : undefined} defaultChecked={values.useful === String(n)} /> {n}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className={errors.accessible ? "field field-invalid" : "field"}>
          <legend>Was it accessible to you? Did the access arrangements work?</legend>
          {errors.accessible ? <span className="field-error">{errors.accessible}</span> : null}
          {ACCESSIBLE_ANSWERS.map((a, i) => (
            <label key={a}>
              <input type="radio" name="accessible" value={a} id={i === 0 ? "field-accessible" : undefined} defaultChecked={values.accessible === a} />{" "}
              {ACCESSIBLE_LABELS[a]}
            </label>
          ))}
        </fieldset>
        <TextArea name="gotInTheWay" label="What got in the way, if anything?" rows={3} defaultValue={values.gotInTheWay} error={errors.gotInTheWay} />
        <TextArea
          name="harm"
          label="Did anything cause you harm or upset?"
          hint="If so, tell us what happened. The organisers and Convene's admins are told straight away."
          rows={3}
          defaultValue={values.harm}
          error={errors.harm}
        />
        <TextArea name="anythingElse" label="Anything else?" rows={3} defaultValue={values.anythingElse} error={errors.anythingElse} />
        <fieldset className={errors.named ? "field field-invalid" : "field"}>
          <legend>Put your name to it?</legend>
          {errors.named ? <span className="field-error">{errors.named}</span> : null}
          <label>
            <input type="radio" name="named" value="anonymous" id="field-named" defaultChecked={(values.named ?? "anonymous") === "anonymous"} /> No: send it
            without my name (we keep nothing that says it was you)
          </label>
          <label>
            <input type="radio" name="named" value="named" defaultChecked={values.named === "named"} /> Yes: the organisers may see it is from me
          </label>
        </fieldset>
        <div className="actions">
          <button type="submit" className="button">
            Send my answers
          </button>
        </div>
      </Form>
    </div>
  );
}
