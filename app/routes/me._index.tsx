import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountActionForm } from "~/auth/forms.server";
import { requireSession } from "~/auth/permissions.server";
import { endOtherSessions, endSession } from "~/auth/session.server";
import { formatEventTime } from "~/components/events";
import { FormError } from "~/components/forms";
import { ClaimStatus } from "~/components/payments";
import { StatusBadge } from "~/components/tasks";
import { Time } from "~/components/time";
import { getMyPage } from "~/models/me-page.server";
import { approvesAnything, myPayments } from "~/models/payment-claims.server";
import { CLAIM_STATUS_WORDS, pounds } from "~/models/payment-words";
import { tasksOfPerson } from "~/models/task-reads.server";
import { moderatesAnything } from "~/models/threads.server";
import { listSessions, resendVerification } from "~/models/users.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { done, refuse } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [AccountActionForm];

export const meta: MetaFunction = () => [{ title: "My account · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const { viewer, session } = requireSession(context);
  const sessions = await listSessions(viewer.id);
  return {
    viewer: { name: viewer.name, email: viewer.email, verified: !!viewer.emailVerifiedAt, roles: viewer.roles },
    sessions: sessions.map((s) => ({ ...s, current: s.id === session.id })),
    tasks: await tasksOfPerson(viewer.id),
    moderates: await moderatesAnything(viewer),
    payments: await myPayments(viewer.id).then((p) => ({
      claimable: p.claimable,
      claims: p.claims.map((c) => ({ id: c.id, event: c.eventTitle, status: c.status, words: CLAIM_STATUS_WORDS[c.status], total: pounds(c.total) })),
    })),
    approves: await approvesAnything(viewer.id),
    ...(await myPageData(viewer)),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, session } = requireSession(context);
  const form = await parseForm(request, AccountActionForm);
  if (!form.ok) return respond(request, refuse(400, "That action is not recognised."), "/me");
  switch (form.data.intent) {
    case "end-session": {
      if (form.data.sessionId === session.id) return respond(request, refuse(400, "To end this session, log out."), "/me");
      const ended = await endSession(form.data.sessionId, viewer.id);
      return respond(request, done(ended ? "That session has been signed out." : "That session had already ended."), "/me", { kind: "info" });
    }
    case "end-others": {
      const n = await endOtherSessions(viewer.id, session.id);
      const message = n ? `Signed out ${n} other session${n === 1 ? "" : "s"}.` : "There were no other sessions.";
      return respond(request, done(message), "/me", { kind: "info" });
    }
    case "resend-verification":
      return respond(request, await resendVerification(viewer.id, context.appUrl), "/me");
  }
}

function describeDevice(ua: string | null) {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua) ? "Edge" : /Chrome\//.test(ua) ? "Chrome" : /Firefox\//.test(ua) ? "Firefox" : /Safari\//.test(ua) ? "Safari" : "Browser";
  const os = /Windows/.test(ua)
    ? "Windows"
    : /Mac OS X/.test(ua)
      ? "macOS"
      : /Android/.test(ua)
        ? "Android"
        : /iPhone|iPad/.test(ua)
          ? "iOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}

async function myPageData(viewer: Parameters<typeof getMyPage>[0]) {
  const mine = await getMyPage(viewer);
  const when = (e: { startsAt: Date; endsAt: Date; timeZone: string }) => formatEventTime(e.startsAt.toISOString(), e.endsAt.toISOString(), e.timeZone);
  return {
    events: mine.next.map((e) => ({ slug: e.slug, title: e.title, when: when(e), status: e.status, waitlistNumber: e.waitlistNumber })),
    pastEvents: mine.past.map((e) => ({ slug: e.slug, title: e.title, when: when(e), hasMaterials: e.hasMaterials })),
    communities: mine.communities,
    organisations: mine.organisations,
  };
}

export default function Me() {
  const { viewer, sessions, tasks, moderates, payments, approves, events, pastEvents, communities, organisations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <>
      <h1>My account</h1>
      <FormError message={actionData?.formError} />
      <section className="panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading" style={{ marginTop: 0 }}>
          {viewer.name}
        </h2>
        <p>
          {viewer.email} {viewer.verified ? <span className="badge">Email confirmed</span> : <span className="badge warn">Email not confirmed yet</span>}
          {viewer.roles.map((r) => (
            <span key={r} className="badge">
              {r === "admin" ? "Admin" : "Organiser"}
            </span>
          ))}
        </p>
        {viewer.verified ? null : (
          <Form method="post" className="stack">
            <p>Until you confirm your address you can browse and register for events, but not claim research tasks, post, or join an organisation.</p>
            <input type="hidden" name="intent" value="resend-verification" />
            <button type="submit" className="button secondary">
              Send the confirmation email again
            </button>
          </Form>
        )}
      </section>

      <section aria-labelledby="events-heading">
        <h2 id="events-heading">My events</h2>
        {events.length === 0 ? (
          <p>
            You have no events coming up. <Link to="/events">Find an event</Link>.
          </p>
        ) : (
          <ul>
            {events.map((e) => (
              <li key={e.slug}>
                <Link to={`/events/${e.slug}`}>{e.title}</Link>{" "}
                <span className="muted small">
                  {e.when} · {e.status === "confirmed" ? "your place is confirmed" : `number ${e.waitlistNumber} on the waitlist`}
                </span>
              </li>
            ))}
          </ul>
        )}
        {pastEvents.length ? (
          <details className="section-details">
            <summary>Events you went to ({pastEvents.length})</summary>
            <ul>
              {pastEvents.map((e) => (
                <li key={e.slug}>
                  <Link to={`/events/${e.slug}`}>{e.title}</Link>{" "}
                  <span className="muted small">
                    {e.when}
                    {e.hasMaterials ? " · slides, reading or recording available" : ""}
                  </span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <div className="two-columns">
        <section aria-labelledby="communities-heading">
          <h2 id="communities-heading">My communities</h2>
          {communities.length === 0 ? (
            <p>
              You have not joined a community yet. <Link to="/communities">Find one</Link>.
            </p>
          ) : (
            <ul>
              {communities.map((c) => (
                <li key={c.slug}>
                  <Link to={`/communities/${c.slug}`}>{c.name}</Link>{" "}
                  <span className="muted small">{c.status === "pending" ? "you asked to join" : c.role === "facilitator" ? "you facilitate" : "member"}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="organisations-heading">
          <h2 id="organisations-heading">My organisations</h2>
          {organisations.length === 0 ? (
            <p>
              You do not belong to an organisation on Convene yet. <Link to="/directory">Find yours in the directory</Link>.
            </p>
          ) : (
            <ul>
              {organisations.map((o) => (
                <li key={o.slug}>
                  <Link to={`/directory/${o.slug}`}>{o.name}</Link>{" "}
                  <span className="muted small">{o.status === "pending" ? "you asked to join" : o.role === "admin" ? "you are an admin" : "member"}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">My research tasks</h2>
        {tasks.length === 0 ? (
          <p>
            You are not leading or helping with any research task yet. <Link to="/hubs">Browse the moment hubs</Link>.
          </p>
        ) : (
          <ul>
            {tasks.map((t) => (
              <li key={`${t.id}-${t.role}`}>
                <Link to={`/hubs/${t.hubSlug}/tasks/${t.id}`}>{t.title}</Link> <StatusBadge status={t.status} />{" "}
                <span className="muted small">
                  {t.role === "lead" ? "you lead" : "you help"}
                  {t.organisation ? ` for ${t.organisation}` : ""} · {t.hubTitle}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {payments.claimable.length || payments.claims.length || approves ? (
        <section aria-labelledby="payments-heading">
          <h2 id="payments-heading">Payments for taking part</h2>
          {payments.claimable.length ? (
            <ul>
              {payments.claimable.map((e) => (
                <li key={e.slug}>
                  <Link to={`/events/${e.slug}/claim`}>Claim your payment for {e.title}</Link>
                </li>
              ))}
            </ul>
          ) : null}
          {payments.claims.length ? (
            <ul>
              {payments.claims.map((c) => (
                <li key={c.id}>
                  <Link to={`/claims/${c.id}`}>
                    {c.total} for {c.event}
                  </Link>{" "}
                  <ClaimStatus status={c.status} words={c.words} />
                </li>
              ))}
            </ul>
          ) : null}
          {approves ? (
            <p>
              <Link to="/payments">Claims waiting for you to approve</Link>
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are logged in</h2>
        <ul className="sessions">
          {sessions.map((s, i) => (
            <li key={s.id}>
              <div>
                <strong>{describeDevice(s.userAgent)}</strong> {s.current ? <span className="badge">This session</span> : null}
                <p className="muted small">
                  Signed in <Time value={s.createdAt} />, ends <Time value={s.expiresAt} /> at the latest
                </p>
              </div>
              {s.current ? null : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="end-session" />
                  <input type="hidden" name="sessionId" value={s.id} />
                  <button type="submit" className="button small secondary" aria-label={`Sign out session ${i + 1}, ${describeDevice(s.userAgent)}`}>
                    Sign out
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {others > 0 ? (
          <Form method="post" style={{ marginTop: "1rem" }}>
            <input type="hidden" name="intent" value="end-others" />
            <button type="submit" className="button secondary">
              Sign out everywhere else
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="security-heading">
        <h2 id="security-heading">Password and your data</h2>
        <ul>
          {moderates ? (
            <li>
              <Link to="/moderation">Reported messages</Link> in the discussions you moderate
            </li>
          ) : null}
          <li>
            <Link to="/me/research">Research skills you offer</Link>: so task leads who need them can find you
          </li>
          <li>
            <Link to="/me/calendar">Your calendar subscription</Link>: your events and task due dates in Google, Outlook or Apple Calendar
          </li>
          <li>
            <Link to="/me/password">Change your password</Link>
          </li>
          <li>
            <a href="/me/export" download>
              Download your data (JSON)
            </a>
          </li>
          <li>
            <Link to="/me/delete">Delete your account</Link>
          </li>
        </ul>
      </section>
    </>
  );
}
