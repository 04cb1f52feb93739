import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Field, FormError, SelectField } from "~/components/forms";
import { PreferencesForm } from "~/forms/notifications.server";
import { digestTimeOf, preferencesOf, savePreferences } from "~/models/email-preferences.server";
import { followsOf } from "~/models/follows.server";
import { CADENCE_LABEL, CADENCES, NEWS_KIND_INFO, NEWS_KINDS, WEEKDAYS } from "~/models/notification-kinds";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [PreferencesForm];

export const meta: MetaFunction = () => [{ title: "What you follow and what we email you · Convene" }];

const FOLLOW_KIND_LABEL = { community: "Community", hub: "Moment hub", organisation: "Organisation", series: "Series of events" } as const;

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const [prefs, time, follows] = [await preferencesOf(viewer.id), await digestTimeOf(viewer.id), await followsOf(viewer.id)];
  return { prefs, time, follows };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const form = await parseForm(request, PreferencesForm);
  if (!form.ok) return respond(request, form, "/notifications/settings", { values: form.values });
  return respond(request, await savePreferences(viewer.id, form.data), "/notifications/settings");
}

const HOURS = Array.from({ length: 24 }, (_, h) => [String(h), `${String(h).padStart(2, "0")}:00`] as const);

export default function NotificationSettings() {
  const { prefs, time, follows } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const values = refused && "values" in refused ? (refused.values as Record<string, string>) : {};
  return (
    <div className="narrow">
      <p>
        <Link to="/notifications">Your notifications</Link>
      </p>
      <h1>What you follow and what we email you</h1>
      <p className="lede">
        Everything is listed on your notifications page. Here you choose which of it also comes by email, and how often. Small organisations get a lot of email,
        so unless you choose otherwise we send one summary a week, and nothing at all in a week when nothing happened.
      </p>
      <p>
        Emails about your own places at events, reminders, tasks you claim and your account always come: they are not news, and you cannot turn them off here.
      </p>

      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <Form method="post" className="stack">
        <h2>Email for each kind of news</h2>
        {NEWS_KINDS.map((kind) => {
          const name = `kind.${kind}`;
          const chosen = values[name] ?? prefs[kind];
          const error = errors[name];
          return (
            <fieldset key={kind} className={error ? "field field-invalid" : "field"} aria-describedby={`${name}-hint`}>
              <legend>{NEWS_KIND_INFO[kind].label}</legend>
              <span className="hint" id={`${name}-hint`}>
                {NEWS_KIND_INFO[kind].hint}
              </span>
              {error ? <span className="field-error">{error}</span> : null}
              {CADENCES.map((c, i) => (
                <label key={c}>
                  <input type="radio" name={name} value={c} id={i === 0 ? `field-${name}` : undefined} defaultChecked={chosen === c} /> {CADENCE_LABEL[c]}
                </label>
              ))}
            </fieldset>
          );
        })}

        <h2>When summaries arrive</h2>
        <p className="hint">A daily summary comes at the hour you choose; a weekly one on that day, at that hour.</p>
        <SelectField
          name="weekday"
          label="Day for the weekly summary"
          defaultValue={values.weekday ?? String(time.weekday)}
          error={errors.weekday}
          options={WEEKDAYS.map((d, i) => [String(i + 1), d] as const)}
        />
        <SelectField name="hour" label="Hour" defaultValue={values.hour ?? String(time.hour)} error={errors.hour} options={HOURS} />
        <Field
          name="timeZone"
          label="Your time zone"
          hint="Europe/London is UK time. Elsewhere, a name such as Europe/Dublin."
          defaultValue={values.timeZone ?? time.timeZone}
          error={errors.timeZone}
          autoComplete="off"
        />
        <div className="actions">
          <button type="submit" className="button">
            Save my choices
          </button>
        </div>
      </Form>

      <section aria-labelledby="follows-heading">
        <h2 id="follows-heading">What you follow</h2>
        {follows.length === 0 ? (
          <p>
            Nothing yet. Use the Follow button on a <Link to="/communities">community</Link>, a <Link to="/hubs">moment hub</Link>, an{" "}
            <Link to="/directory">organisation</Link> or an <Link to="/events">event</Link> in a series.
          </p>
        ) : (
          <>
            <p>Joining a community or an organisation, registering for a series, and leading or helping with a task follow it for you.</p>
            <ul className="plain-list follow-list">
              {follows.map((f) => (
                <li key={`${f.kind}:${f.id}`}>
                  <Link to={f.path}>{f.title}</Link> <span className="muted small">{FOLLOW_KIND_LABEL[f.kind]}</span>
                  <Form method="post" action="/follows" className="inline-form">
                    <input type="hidden" name="kind" value={f.kind} />
                    <input type="hidden" name="id" value={f.id} />
                    <input type="hidden" name="returnTo" value="/notifications/settings" />
                    <button type="submit" name="intent" value="unfollow" className="link-button">
                      Stop following<span className="visually-hidden"> {f.title}</span>
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
