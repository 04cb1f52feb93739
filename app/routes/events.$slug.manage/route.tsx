import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { formatEventTime } from "~/components/events";
import { Field, FORMATTING_HINT, FormError, TextArea } from "~/components/forms";
import { OrganiserActionForm } from "~/forms/events.server";
import {
  attendeeList,
  cancelEvent,
  duplicateEvent,
  type EventResult,
  markAttendance,
  messageRegistrants,
  publishEvent,
  setMaterials,
} from "~/models/events.server";
import { placeCheckSummary } from "~/models/place-checks.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
import { AttendeeTable } from "./attendee-table";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [OrganiserActionForm];

export const meta: MetaFunction = () => [{ title: "Manage event · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const list = await attendeeList(viewer, params.slug ?? "");
  if (!list) throw new Response("Not found", { status: 404 });
  if (list === "forbidden") throw new Response("Only this event's organisers can see who is coming.", { status: 403 });
  const e = list.event;
  return {
    event: {
      slug: e.slug,
      title: e.title,
      state: e.state,
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      timeZone: e.timeZone,
      materials: e.materials,
      recordingUrl: e.recordingUrl ?? "",
      started: e.startsAt <= new Date(),
    },
    stillComing: await placeCheckSummary(e.id),
    attendees: list.attendees.map((a) => ({
      id: a.id,
      name: a.name,
      email: a.email,
      status: a.status,
      organisations: a.organisations,
      accessNeeds: a.accessNeeds,
      accessNotes: a.accessNotes,
      attended: a.attended,
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const slug = params.slug ?? "";
  const here = `/events/${slug}/manage`;
  const form = await parseForm(request, OrganiserActionForm);
  if (!form.ok) return respond(request, form, here);
  const f = form.data;
  let result: EventResult;
  switch (f.intent) {
    case "publish":
      result = await publishEvent(viewer, slug);
      break;
    case "cancel-event":
      result = await cancelEvent(viewer, slug, context.appUrl);
      break;
    case "duplicate":
      return respond(request, await duplicateEvent(viewer, slug), (copy) => (copy.slug ? `/events/${copy.slug}/edit` : here));
    case "message":
      result = await messageRegistrants(viewer, slug, f.subject, f.body, context.appUrl);
      break;
    case "materials":
      result = await setMaterials(viewer, slug, f.materials, f.recordingUrl);
      break;
    case "attendance":
      result = await markAttendance(viewer, slug, f.present);
      break;
  }
  return respond(request, result, here);
}

export default function ManageEvent() {
  const { event, attendees, stillComing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  const confirmed = attendees.filter((a) => a.status === "confirmed");
  return (
    <>
      <p>
        <Link to={`/events/${event.slug}`}>Back to the event</Link>
      </p>
      <h1>Manage: {event.title}</h1>
      <p>
        {formatEventTime(event.startsAt, event.endsAt, event.timeZone)} · <span className="badge">{event.state}</span>
      </p>
      <FormError message={actionData?.formError} errors={actionData?.errors} />
      <div className="actions">
        {event.state === "draft" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <button type="submit" className="button">
              Publish
            </button>
          </Form>
        ) : null}
        <Link to={`/events/${event.slug}/edit`} className="button secondary">
          Edit the details
        </Link>
        <Form method="post">
          <input type="hidden" name="intent" value="duplicate" />
          <button type="submit" className="button secondary">
            Duplicate
          </button>
        </Form>
        {event.state !== "cancelled" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="cancel-event" />
            <button type="submit" className="button danger">
              Cancel the event
            </button>
          </Form>
        ) : null}
        {event.started ? <Link to={`/events/${event.slug}/feedback`}>Read the feedback</Link> : null}
        <a href={`/events/${event.slug}/attendees.csv`} download>
          Download attendees (CSV)
        </a>
      </div>

      <AttendeeTable attendees={attendees} started={event.started} />

      {stillComing.asked > 0 ? (
        <section aria-labelledby="still-coming-heading">
          <h2 id="still-coming-heading">Still coming?</h2>
          <p>
            The day before, we asked the {stillComing.asked} {stillComing.asked === 1 ? "person" : "people"} with a place whether they are still coming:{" "}
            {stillComing.kept} kept their place, {stillComing.released} let it go to someone waiting, and {stillComing.unanswered}{" "}
            {stillComing.unanswered === 1 ? "has" : "have"} not answered.
          </p>
        </section>
      ) : null}

      <section aria-labelledby="message-heading">
        <h2 id="message-heading">Message everyone with a confirmed place</h2>
        <Form method="post" className="stack narrow" noValidate>
          <input type="hidden" name="intent" value="message" />
          <Field name="subject" label="Subject" type="text" maxLength={150} error={errors.subject} />
          <TextArea name="body" label="Message" rows={5} error={errors.body} />
          <button type="submit" className="button secondary">
            Send to {confirmed.length} {confirmed.length === 1 ? "person" : "people"}
          </button>
        </Form>
      </section>

      <section aria-labelledby="materials-heading">
        <h2 id="materials-heading">Materials and recording</h2>
        <Form method="post" className="stack narrow" noValidate>
          <input type="hidden" name="intent" value="materials" />
          <TextArea
            name="materials"
            label="Materials: slides, reading, links"
            hint={FORMATTING_HINT}
            rows={5}
            defaultValue={event.materials}
            error={errors.materials}
          />
          <Field name="recordingUrl" label="Recording link" type="url" defaultValue={event.recordingUrl} error={errors.recordingUrl} />
          <button type="submit" className="button secondary">
            Save materials
          </button>
        </Form>
      </section>
    </>
  );
}
