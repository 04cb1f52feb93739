import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requireUser } from "~/auth/permissions.server";
import { AddToCalendar } from "~/components/calendar";
import { ACCESS_LABELS, formatEventTime, KIND_LABELS } from "~/components/events";
import { FollowButton } from "~/components/follow";
import { FormError, TextArea } from "~/components/forms";
import { Thread } from "~/components/thread";
import { RegistrationForm } from "~/forms/events.server";
import { getEventPage } from "~/models/event-page.server";
import { eventForViewer } from "~/models/events.server";
import { isFollowing } from "~/models/follows.server";
import { offerSentence, ROUTE_LABELS } from "~/models/payment-words";
import { paymentOnEventPage } from "~/models/payments.server";
import { cancelRegistration, registerForEvent, registerForSeries, registrationClosedReason } from "~/models/registrations.server";
import { storedHtml } from "~/models/rendered-text.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [RegistrationForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.event.title} · Events · Convene` : "Event · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const view = await getEventPage(params.slug ?? "", viewer);
  if (!view) throw new Response("Not found", { status: 404 });
  const e = view.event;
  return {
    event: {
      id: e.id,
      slug: e.slug,
      kind: e.kind,
      title: e.title,
      summary: e.summary,
      descriptionHtml: storedHtml(e.descriptionHtml, e.description),
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      timeZone: e.timeZone,
      state: e.state,
      venue: e.venue,
      // The joining link leaves the server only for confirmed registrants (and organisers).
      joinUrl: view.can.seeJoinLink ? e.joinUrl : null,
      online: !!e.joinUrl || e.kind === "webinar",
      accessProvisions: e.accessProvisions,
      accessOther: e.accessOther,
      materialsHtml: e.materials ? storedHtml(e.materialsHtml, e.materials) : "",
      recordingUrl: e.recordingUrl,
      past: e.endsAt < new Date(),
    },
    seatsLeft: e.capacity === null ? null : Math.max(0, e.capacity - view.confirmed),
    capacity: e.capacity,
    waiting: view.waiting,
    closedReason: registrationClosedReason(e),
    organisers: view.organisers.map((o) => o.name),
    community: view.community,
    hub: view.hub,
    canManage: view.canManage,
    approvesPayments: !!viewer?.roles.includes("payments"),
    payment: await paymentOnEventPage(e, viewer?.id ?? null).then((p) =>
      p
        ? { sentence: offerSentence(p.offer), eligible: p.eligible, chosen: p.chosen ? ROUTE_LABELS[p.chosen] : null, canClaim: p.canClaim, claimId: p.claimId }
        : null,
    ),
    followSeries: viewer && e.seriesId && e.state !== "draft" ? { id: e.seriesId, following: await isFollowing(viewer.id, "series", e.seriesId) } : null,
    registration: view.registration ? { status: view.registration } : null,
    series: view.series.map((o) => ({
      slug: o.slug,
      startsAt: o.startsAt.toISOString(),
      endsAt: o.endsAt.toISOString(),
      timeZone: o.timeZone,
      state: o.state,
      current: o.id === e.id,
    })),
    signedIn: !!viewer,
    url: `${context.appUrl}/events/${e.slug}`,
    thread: view.thread!,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const slug = params.slug ?? "";
  const form = await parseForm(request, RegistrationForm);
  const here = `/events/${slug}`;
  if (form.ok && form.data.intent === "register" && form.data.wholeSeries !== "1") {
    // The busiest path (a popular webinar opening): the event is looked up, and who may
    // see it checked, inside the registration's own transaction.
    const needs = { accessNeeds: form.data.accessNeeds, accessNotes: form.data.accessNotes ?? null, appUrl: context.appUrl };
    return respond(request, await registerForEvent(viewer, { slug }, needs), here);
  }
  const event = await eventForViewer(slug, viewer.id);
  if (!event) throw new Response("Not found", { status: 404 });
  if (!form.ok) return respond(request, oneMessage(form), here);
  if (form.data.intent === "register") {
    const needs = { accessNeeds: form.data.accessNeeds, accessNotes: form.data.accessNotes ?? null, appUrl: context.appUrl };
    return respond(request, await registerForSeries(viewer, event.id, needs), here);
  }
  return respond(request, await cancelRegistration(viewer, event.id, context.appUrl), here);
}

function ViewerTime({ startsAt, endsAt, zone }: { startsAt: string; endsAt: string; zone: string }) {
  const [mine, setMine] = useState<string | null>(null);
  useEffect(() => {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!tz || tz === zone) return;
    // Only worth saying when the clock times differ, not just the zone's name.
    if (formatEventTime(startsAt, endsAt, tz, false) !== formatEventTime(startsAt, endsAt, zone, false)) setMine(formatEventTime(startsAt, endsAt, tz));
  }, [startsAt, endsAt, zone]);
  return mine ? <p className="muted">In your time zone: {mine}</p> : null;
}

export default function EventPage() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const e = d.event;
  return (
    <>
      <p>
        <Link to="/events">All events</Link>
      </p>
      <h1>{e.title}</h1>
      <p>
        <span className="badge">{KIND_LABELS[e.kind]}</span>
        {e.state === "cancelled" ? <span className="badge warn">Cancelled</span> : null}
        {e.state === "draft" ? <span className="badge warn">Draft: only organisers can see this</span> : null}
      </p>
      <p className="moment">{formatEventTime(e.startsAt, e.endsAt, e.timeZone)}</p>
      <ViewerTime startsAt={e.startsAt} endsAt={e.endsAt} zone={e.timeZone} />
      {e.summary ? <p className="lede">{e.summary}</p> : null}
      {d.followSeries ? <FollowButton kind="series" id={d.followSeries.id} following={d.followSeries.following} name={`the series ${e.title}`} /> : null}
      <FormError message={actionData?.formError} />

      <section className="panel" aria-labelledby="register-heading">
        <h2 id="register-heading" style={{ marginTop: 0 }}>
          Your place
        </h2>
        <p>
          {d.capacity === null
            ? "No limit on places."
            : d.seatsLeft === 0
              ? `Full (${d.capacity} places). ${d.waiting} on the waitlist.`
              : `${d.seatsLeft} of ${d.capacity} places left.`}
        </p>
        {d.registration ? (
          <>
            <p>
              <strong>
                {d.registration.status === "confirmed"
                  ? "Your place is confirmed."
                  : "You are on the waitlist: if a place frees up it is yours, and we will email you."}
              </strong>
            </p>
            {d.registration.status === "confirmed" && e.joinUrl ? (
              <p>
                Join online: <a href={e.joinUrl}>{e.joinUrl}</a>
              </p>
            ) : null}
            {!e.past && e.state !== "cancelled" ? (
              <Form method="post">
                <input type="hidden" name="intent" value="cancel" />
                <button type="submit" className="button secondary">
                  {d.registration.status === "confirmed" ? "Cancel my place" : "Leave the waitlist"}
                </button>
              </Form>
            ) : null}
          </>
        ) : d.closedReason ? (
          <p>{d.closedReason}</p>
        ) : !d.signedIn ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}>Log in</Link> or{" "}
            <Link to={`/signup?redirectTo=${encodeURIComponent(location.pathname)}`}>create an account</Link> to register.
          </p>
        ) : (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="register" />
            <fieldset className="field">
              <legend>Access needs (optional, seen only by the organisers)</legend>
              <div className="checkbox-grid">
                {Object.entries(ACCESS_LABELS).map(([v, l]) => (
                  <label key={v}>
                    <input type="checkbox" name="accessNeeds" value={v} /> {l}
                  </label>
                ))}
              </div>
              <TextArea
                id="field-accessNotes"
                name="accessNotes"
                label="Anything else the organisers should know"
                rows={2}
                maxLength={2000}
                error={actionData?.errors?.accessNotes}
              />
            </fieldset>
            {d.series.filter((o) => o.state === "published").length > 1 ? (
              <label>
                <input type="checkbox" name="wholeSeries" value="1" /> Register for every upcoming date in this series
              </label>
            ) : null}
            <button type="submit" className="button">
              {d.seatsLeft === 0 ? "Join the waitlist" : "Register"}
            </button>
          </Form>
        )}
        <AddToCalendar
          event={{
            title: e.title,
            summary: e.summary,
            startsAt: e.startsAt,
            endsAt: e.endsAt,
            venue: e.venue,
            url: d.url,
            icsPath: `/events/${e.slug}/calendar.ics`,
            icsUrl: `${d.url}/calendar.ics`,
          }}
        />
      </section>

      <section aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="facts">
          {d.payment ? (
            <>
              <dt>Payment</dt>
              <dd>
                {d.payment.sentence}
                {d.payment.eligible ? (
                  <>
                    {" "}
                    <Link to={`/events/${e.slug}/payment-choice`}>
                      {d.payment.chosen ? `You chose: ${d.payment.chosen.toLowerCase()}. Change it` : "Choose how you are paid"}
                    </Link>
                    {d.payment.claimId ? (
                      <>
                        {" · "}
                        <Link to={`/claims/${d.payment.claimId}`}>Your claim</Link>
                      </>
                    ) : d.payment.canClaim ? (
                      <>
                        {" · "}
                        <Link to={`/events/${e.slug}/claim`}>Claim your payment</Link>
                      </>
                    ) : null}
                  </>
                ) : null}
              </dd>
            </>
          ) : null}
          <dt>Where</dt>
          <dd>
            {e.venue ??
              (!e.online ? (
                "To be announced"
              ) : d.registration?.status === "confirmed" && e.joinUrl ? (
                "Online: your joining link is above"
              ) : e.joinUrl ? (
                <>
                  Online: <a href={e.joinUrl}>{e.joinUrl}</a>
                </>
              ) : (
                "Online: the joining link is shown to people with a confirmed place"
              ))}
          </dd>
          <dt>Organised by</dt>
          <dd>{d.organisers.join(", ")}</dd>
          {d.community ? (
            <>
              <dt>Community</dt>
              <dd>
                <Link to={`/communities/${d.community.slug}`}>{d.community.name}</Link>
              </dd>
            </>
          ) : null}
          {d.hub ? (
            <>
              <dt>Moment hub</dt>
              <dd>
                <Link to={`/hubs/${d.hub.slug}`}>{d.hub.title}</Link>
              </dd>
            </>
          ) : null}
          <dt>Access provisions</dt>
          <dd>
            {e.accessProvisions.length
              ? e.accessProvisions.map((a) => (a === "other" && e.accessOther ? e.accessOther : ACCESS_LABELS[a])).join(", ")
              : "None listed yet: tell the organisers what you need when you register."}
          </dd>
        </dl>
        <div className="prose" dangerouslySetInnerHTML={{ __html: e.descriptionHtml }} />
      </section>

      {d.series.length > 1 ? (
        <section aria-labelledby="series-heading">
          <h2 id="series-heading">Dates in this series</h2>
          <ul>
            {d.series.map((o) => (
              <li key={o.slug}>
                {o.current ? (
                  <strong>{formatEventTime(o.startsAt, o.endsAt, o.timeZone)} (this date)</strong>
                ) : (
                  <Link to={`/events/${o.slug}`}>{formatEventTime(o.startsAt, o.endsAt, o.timeZone)}</Link>
                )}
                {o.state === "cancelled" ? <span className="badge warn">Cancelled</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {e.materialsHtml || e.recordingUrl ? (
        <section aria-labelledby="materials-heading">
          <h2 id="materials-heading">Materials and recording</h2>
          {e.recordingUrl ? (
            <p>
              <a href={e.recordingUrl}>Watch the recording</a>
            </p>
          ) : null}
          <div className="prose" dangerouslySetInnerHTML={{ __html: e.materialsHtml }} />
        </section>
      ) : null}

      {d.canManage ? (
        <p className="actions">
          <Link to={`/events/${e.slug}/manage`} className="button secondary">
            Manage this event
          </Link>
          <Link to={`/events/${e.slug}/edit`}>Edit the details</Link>
          <Link to={`/events/${e.slug}/payments`}>Payment for taking part</Link>
        </p>
      ) : d.approvesPayments ? (
        <p>
          <Link to={`/events/${e.slug}/payments`}>Payment choices for this event</Link>
        </p>
      ) : null}

      {e.state !== "draft" ? <Thread thread={d.thread} /> : null}
    </>
  );
}
