import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/forms";
import { StillComingForm } from "~/forms/notifications.server";
import { answerPlaceCheck, peekPlaceCheck } from "~/models/place-checks.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

// "Still coming?": the page a link in the day-before mail opens. Opening it changes nothing
// (mail scanners follow links); its one button answers, without logging in, once.
export const actionForms: ActionForms = [StillComingForm];

export const meta: MetaFunction = () => [{ title: "Still coming? · Convene" }, { name: "robots", content: "noindex" }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const check = await peekPlaceCheck(params.token);
  const asked = new URL(request.url).searchParams.get("answer") === "release" ? "release" : "keep";
  return { check, asked };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const here = `/still-coming/${params.token ?? ""}`;
  const form = await parseForm(request, StillComingForm);
  if (!form.ok) return respond(request, oneMessage(form), here);
  return respond(request, await answerPlaceCheck(params.token, form.data.intent, context.appUrl), here);
}

export default function StillComing() {
  const { check, asked } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  if (!check) {
    return (
      <div className="narrow">
        <h1>This link does not work</h1>
        <p>It is not one of ours, or it was copied only in part. Nothing has been changed. Your place, if you hold one, is as it was.</p>
      </div>
    );
  }
  const heading = <h1>Still coming to {check.title}?</h1>;
  if (check.answer || check.over || !check.holdsPlace) {
    return (
      <div className="narrow">
        {heading}
        <p>
          {check.answer === "kept"
            ? "You told us you are coming: your place is kept."
            : check.answer === "released"
              ? "You let your place go, and it has gone to the next person waiting. Thank you."
              : check.over
                ? "This event has started or is no longer going ahead, so there is nothing to answer."
                : "You no longer hold a place at this event, so there is nothing to answer."}
        </p>
        <p>
          <Link to={`/events/${check.slug}`}>See the event</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      {heading}
      <p>It is {check.when}. It is full, and people are waiting for a place. Nothing changes until you press the button; you do not need to log in.</p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} />
      <Form method="post" className="actions">
        {asked === "release" ? (
          <button type="submit" name="intent" value="release" className="button">
            Give my place to someone waiting
          </button>
        ) : (
          <button type="submit" name="intent" value="keep" className="button">
            Yes, keep my place
          </button>
        )}
      </Form>
      <p>{asked === "release" ? <Link to="?answer=keep">I am coming after all</Link> : <Link to="?answer=release">I can't come: let my place go</Link>}</p>
    </div>
  );
}
