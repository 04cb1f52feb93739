import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { eventForViewer } from "~/models/events.server";
import { feedbackFor } from "~/models/feedback.server";
import { ACCESSIBLE_ANSWERS, ACCESSIBLE_LABELS } from "~/models/feedback-answers";

// What attendees said after an event: the summary for the people who run it and its
// community's facilitators and hub's stewards; every answer for its organisers and admins.

export const meta: MetaFunction = () => [{ title: "Feedback · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const event = await eventForViewer(params.slug ?? "", viewer.id);
  if (!event) throw new Response("Not found", { status: 404 });
  const feedback = await feedbackFor(event, viewer.id);
  if (!feedback) throw new Response("Only the people who run this event can read its feedback.", { status: 403 });
  return { event: { slug: event.slug, title: event.title }, ...feedback };
}

export default function EventFeedback() {
  const { event, summary, answers } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <p>
        <Link to={`/events/${event.slug}`}>Back to the event</Link>
      </p>
      <h1>Feedback: {event.title}</h1>
      <p>
        {summary.answered} of the {summary.asked} {summary.asked === 1 ? "person" : "people"} asked have answered.
        {summary.harmReports ? (
          <strong>
            {" "}
            {summary.harmReports} {summary.harmReports === 1 ? "answer reports" : "answers report"} harm or upset.
          </strong>
        ) : null}
      </p>
      {summary.answered ? (
        <>
          <h2>Was it useful?</h2>
          <p>
            On average {summary.usefulAverage} out of 5. {summary.useful.map((n, i) => `${i + 1}: ${n}`).join(" · ")}
          </p>
          <h2>Was it accessible?</h2>
          <ul>
            {ACCESSIBLE_ANSWERS.map((a) => (
              <li key={a}>
                {ACCESSIBLE_LABELS[a]}: {summary.accessible[a]}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {answers ? (
        <section aria-labelledby="answers-heading">
          <h2 id="answers-heading">Every answer</h2>
          {answers.length === 0 ? (
            <p>No answers yet.</p>
          ) : (
            <ul className="plain-list feedback-answers">
              {answers.map((a) => (
                <li key={a.id}>
                  <p>
                    <strong>{a.name ?? "Without a name"}</strong> · {a.on} · useful {a.useful} of 5 · {ACCESSIBLE_LABELS[a.accessible]}
                  </p>
                  {a.harm ? (
                    <p className="form-error">
                      <strong>Harm or upset:</strong> {a.harm}
                    </p>
                  ) : null}
                  {a.gotInTheWay ? (
                    <p>
                      <strong>What got in the way:</strong> {a.gotInTheWay}
                    </p>
                  ) : null}
                  {a.anythingElse ? (
                    <p>
                      <strong>Anything else:</strong> {a.anythingElse}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <p>As a facilitator or steward you see the summary; the event's organisers read each answer.</p>
      )}
    </div>
  );
}
