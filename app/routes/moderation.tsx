import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Time } from "~/components/time";
import { moderationQueue } from "~/models/threads.server";

// Reported messages in the threads this person moderates (facilitators: their
// communities; stewards: their hubs and tasks; organisers: their events; admins: all).

export const meta: MetaFunction = () => [{ title: "Reported messages · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  return { reports: await moderationQueue(viewer) };
}

export default function Moderation() {
  const { reports } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Reported messages</h1>
      <p className="lede">Messages people reported in the discussions you moderate. Remove a message, or dismiss the reports to keep it.</p>
      {reports.length === 0 ? (
        <p>Nothing to review. Thank you for looking.</p>
      ) : (
        <ol className="messages">
          {reports.map((r) => {
            return (
              <li key={r.message.id} className="message">
                <p className="message-meta">
                  <strong>{r.message.authorName}</strong> in <Link to={`${r.url}#m-${r.message.seq}`}>{r.title}</Link>{" "}
                  <span className="muted small">
                    first reported <Time value={r.firstReportedAt} />
                  </span>
                </p>
                {r.message.state === "visible" ? (
                  <div className="prose" dangerouslySetInnerHTML={{ __html: r.message.html }} />
                ) : (
                  <p className="muted">Already taken down.</p>
                )}
                {r.reasons.length ? (
                  <ul className="small">
                    {r.reasons.map((reason, i) => (
                      <li key={i}>Reported because: {reason}</li>
                    ))}
                  </ul>
                ) : null}
                <div className="actions">
                  {(["remove", "dismiss"] as const).map((intent) => (
                    <Form key={intent} method="post" action={`/threads/${r.kind}/${encodeURIComponent(r.key)}`}>
                      <input type="hidden" name="intent" value={intent} />
                      <input type="hidden" name="messageId" value={r.message.id} />
                      <input type="hidden" name="returnTo" value="/moderation" />
                      <button type="submit" className={intent === "remove" ? "button danger" : "button secondary"}>
                        {intent === "remove" ? "Remove the message" : "Dismiss the reports"}
                      </button>
                    </Form>
                  ))}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
