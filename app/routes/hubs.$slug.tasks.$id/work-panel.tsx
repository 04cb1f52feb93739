import { Form, Link } from "@remix-run/react";
import { Field } from "~/components/forms";
import type { TaskCapabilities } from "~/models/task-capabilities";
import { OrgChoice } from "./org-choice";

// "Work on this task": exactly the actions the model's capabilities allow this viewer.

// Words for the one step forward the model allows (`can.advance`).
const ADVANCE_LABEL: Record<string, string> = { in_progress: "Start work (in progress)", in_review: "Send for review", published: "Mark as published" };

type Viewer = { verified: boolean; isLead: boolean; organisations: { id: string; name: string }[] } | null;

export function WorkPanel({
  viewer,
  can,
  errors,
  loginTo,
}: {
  viewer: Viewer;
  can: TaskCapabilities;
  errors: Record<string, string | undefined>;
  loginTo: string;
}) {
  const orgs = viewer?.organisations ?? [];
  const next = can.advance ? { to: can.advance, label: ADVANCE_LABEL[can.advance] } : null;
  return (
    <section className="panel" aria-labelledby="work-heading">
      <h2 id="work-heading" style={{ marginTop: 0 }}>
        Work on this task
      </h2>
      {!viewer ? (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(loginTo)}`}>Log in</Link> to claim this task or help with it.
        </p>
      ) : !viewer.verified ? (
        <p>
          Confirm your email address (see <Link to="/me">My account</Link>) to claim tasks or help with them.
        </p>
      ) : (
        <div className="stack">
          {can.claimable ? (
            can.claim ? (
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="claim" />
                <OrgChoice orgs={orgs} id="claim-org" />
                <button type="submit" className="button">
                  Claim this task
                </button>
              </Form>
            ) : (
              <p>
                To lead a task you need to belong to an organisation: <Link to="/directory">find yours in the directory</Link> and ask to join.
              </p>
            )
          ) : null}
          {can.join && !can.claimable ? (
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="join" />
              <OrgChoice orgs={orgs} id="join-org" />
              <button type="submit" className="button secondary">
                Join as a collaborator
              </button>
            </Form>
          ) : null}
          {can.leave ? (
            <Form method="post">
              <input type="hidden" name="intent" value="leave" />
              <button type="submit" className="button secondary">
                Stop collaborating
              </button>
            </Form>
          ) : null}
          {next ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="advance" />
              <input type="hidden" name="to" value={next.to} />
              {next.to === "published" ? (
                <div className="field">
                  <label htmlFor="output-url">Link to the published output</label>
                  <input id="output-url" name="outputUrl" type="url" placeholder="https://" />
                </div>
              ) : null}
              <button type="submit" className="button">
                {next.label}
              </button>
            </Form>
          ) : null}
          {can.release ? (
            <Form method="post">
              <input type="hidden" name="intent" value="release" />
              <button type="submit" className="button secondary">
                {viewer.isLead ? "Release this task" : "Unassign the lead"}
              </button>
            </Form>
          ) : null}
          {can.drop ? <ReasonForm intent="drop" question="Why drop it?" submit="Drop this task" error={errors.reason} /> : null}
          {can.reopen ? <ReasonForm intent="reopen" question="Why reopen it?" submit="Reopen this task" error={errors.reason} /> : null}
        </div>
      )}
    </section>
  );
}

/** Dropping and reopening both ask why (the reason goes into the task's history). */
function ReasonForm({ intent, question, submit, error }: { intent: "drop" | "reopen"; question: string; submit: string; error?: string }) {
  return (
    <Form method="post" className="stack">
      <input type="hidden" name="intent" value={intent} />
      <Field id={`${intent}-reason`} name="reason" label={question} type="text" maxLength={500} error={error} />
      <button type="submit" className="button secondary">
        {submit}
      </button>
    </Form>
  );
}
