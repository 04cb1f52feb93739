import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { requireSession } from "~/auth/permissions.server";
import { feedStatus, regenerateFeedToken, revokeFeedToken } from "~/calendar/feeds.server";
import { SubscribeLinks } from "~/components/calendar";
import { FormError } from "~/components/forms";
import { Time } from "~/components/time";
import { FeedTokenForm } from "~/forms/threads.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { done } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [FeedTokenForm];

export const meta: MetaFunction = () => [{ title: "Your calendar subscription · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const { viewer } = requireSession(context);
  const status = await feedStatus(viewer.id);
  return { feed: status ? { createdAt: status.createdAt.toISOString(), lastFetchedAt: status.lastFetchedAt?.toISOString() ?? null } : null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer } = requireSession(context);
  const form = await parseForm(request, FeedTokenForm);
  if (!form.ok) return respond(request, oneMessage(form), "/me/calendar");
  if (form.data.intent === "revoke") {
    const had = await revokeFeedToken(viewer.id);
    const message = had ? "Your subscription link no longer works. Calendars subscribed to it will stop updating." : "You had no subscription link.";
    return respond(request, done(message), "/me/calendar");
  }
  // Shown this once, on this page: only a hash of the token is kept.
  const token = await regenerateFeedToken(viewer.id);
  return { feedUrl: `${context.appUrl}/feeds/${token}/calendar.ics` };
}

function CopyField({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="stack field">
      <label htmlFor="feed-url">Your private calendar subscription link</label>
      {/* The whole link, wrapped, so it can be read and checked on a phone. */}
      <textarea id="feed-url" readOnly rows={3} value={value} onFocus={(e) => e.currentTarget.select()} className="mono copy-value" />
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true));
          }}
        >
          Copy the link
        </button>
        <span role="status" aria-live="polite">
          {copied ? "Copied." : ""}
        </span>
      </div>
    </div>
  );
}

export default function MyCalendar() {
  const { feed } = useLoaderData<typeof loader>();
  const created = useActionData<typeof action>();
  const feedUrl = created && "feedUrl" in created ? created.feedUrl : null;
  const refused = created && "formError" in created ? created.formError : null;
  return (
    <div className="narrow">
      <p>
        <Link to="/me">Your account</Link>
      </p>
      <h1>Your calendar subscription</h1>
      <p className="lede">
        One private link that puts the events you hold a place at (with their joining links) and the due dates of the research tasks you lead or help with into
        the calendar you already use. It follows every change: a moved webinar moves in your calendar too.
      </p>
      <FormError message={refused} />
      {feedUrl ? (
        <section className="panel" aria-labelledby="new-feed-heading">
          <h2 id="new-feed-heading" style={{ marginTop: 0 }}>
            Your new subscription link
          </h2>
          <p>
            <strong>Copy it now: it is shown only this once.</strong> Anyone with this link can see your events and their joining links, so keep it to yourself.
            If it leaks, make a new one below.
          </p>
          <CopyField value={feedUrl} />
          <SubscribeLinks feedUrl={feedUrl} name="My Convene calendar" label="Subscribe in one click" />
        </section>
      ) : null}

      <section aria-labelledby="status-heading">
        <h2 id="status-heading">Your subscription link</h2>
        {feed ? (
          <>
            <p>
              Made <Time value={feed.createdAt} />.{" "}
              {feed.lastFetchedAt ? (
                <>
                  Last fetched by a calendar <Time value={feed.lastFetchedAt} />.
                </>
              ) : (
                "No calendar has fetched it yet."
              )}
            </p>
            <div className="actions">
              <Form method="post">
                <input type="hidden" name="intent" value="regenerate" />
                <button type="submit" className="button secondary">
                  Make a new link (the old one stops working)
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <button type="submit" className="button danger">
                  Turn the link off
                </button>
              </Form>
            </div>
          </>
        ) : (
          <>
            <p>You have no subscription link yet.</p>
            <Form method="post">
              <input type="hidden" name="intent" value="regenerate" />
              <button type="submit" className="button">
                Make my subscription link
              </button>
            </Form>
          </>
        )}
      </section>

      <section aria-labelledby="how-heading">
        <h2 id="how-heading">How to subscribe</h2>
        <h3>Google Calendar</h3>
        <ol>
          <li>On a computer, open Google Calendar.</li>
          <li>Next to “Other calendars”, choose “+”, then “From URL”.</li>
          <li>Paste your subscription link and choose “Add calendar”. Google refreshes it every few hours.</li>
        </ol>
        <h3>Outlook</h3>
        <ol>
          <li>In Outlook on the web, open the calendar and choose “Add calendar”.</li>
          <li>Choose “Subscribe from web”, paste your subscription link and give it a name.</li>
          <li>Choose “Import”. In Outlook on Windows, use “Add calendar”, then “From Internet”.</li>
        </ol>
        <h3>Apple Calendar</h3>
        <ol>
          <li>
            On a Mac, choose File, then “New Calendar Subscription”. On an iPhone, go to Settings, Calendar, Accounts, “Add Account”, Other, “Add Subscribed
            Calendar”.
          </li>
          <li>Paste your subscription link and choose Subscribe.</li>
          <li>Set “Auto-refresh” to every hour or every day.</li>
        </ol>
        <p className="muted">
          Public calendars need no link of your own: every event page has “Add to calendar”, and the <Link to="/events">events</Link> page, each community and
          each moment hub offer a link to subscribe to.
        </p>
      </section>
    </div>
  );
}
