import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DateTime } from "luxon";
import { requireUser } from "~/auth/permissions.server";
import { EventFields } from "~/components/event-fields";
import { ClashWarning } from "~/components/events";
import { FormError } from "~/components/forms";
import { EventForm } from "~/forms/events.server";
import { eventFormChoices, getEventForEditing, updateEvent } from "~/models/events.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { repeatedTime } from "~/utils/local-time";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [EventForm];

export const meta: MetaFunction = () => [{ title: "Edit event · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const e = await getEventForEditing(viewer, params.slug ?? "");
  if (!e) throw new Response("Not found", { status: 404 });
  if (e === "forbidden") throw new Response("Only this event's organisers can change it.", { status: 403 });
  const { communities, hubs } = await eventFormChoices(viewer.id);
  const local = (d: Date | null, fmt: string) => (d ? DateTime.fromJSDate(d, { zone: e.timeZone }).toFormat(fmt) : "");
  return {
    slug: e.slug,
    title: e.title,
    values: {
      kind: e.kind,
      title: e.title,
      summary: e.summary,
      description: e.description,
      timeZone: e.timeZone,
      startDate: local(e.startsAt, "yyyy-MM-dd"),
      startTime: local(e.startsAt, "HH:mm"),
      endDate: local(e.endsAt, "yyyy-MM-dd") === local(e.startsAt, "yyyy-MM-dd") ? "" : local(e.endsAt, "yyyy-MM-dd"),
      endTime: local(e.endsAt, "HH:mm"),
      // On the night the clocks go back, which of a repeated time this is.
      startWhich: repeatedTime(e.startsAt, e.timeZone) ?? "",
      endWhich: repeatedTime(e.endsAt, e.timeZone) ?? "",
      capacity: e.capacity === null ? "" : String(e.capacity),
      registrationOpens: local(e.registrationOpensAt, "yyyy-MM-dd'T'HH:mm"),
      registrationCloses: local(e.registrationClosesAt, "yyyy-MM-dd'T'HH:mm"),
      joinUrl: e.joinUrl ?? "",
      venue: e.venue ?? "",
      accessProvisions: e.accessProvisions,
      accessOther: e.accessOther ?? "",
      communityId: e.communityId ?? "",
      hubId: e.hubId ?? "",
    } as Record<string, string | string[]>,
    communities,
    hubs,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const body = await readForm(request);
  const form = await parseForm(body, EventForm);
  const values = {
    ...Object.fromEntries([...body.entries()].filter(([, v]) => typeof v === "string")),
    accessProvisions: body.getAll("accessProvisions").map(String),
  } as Record<string, string | string[]>;
  const result = form.ok ? await updateEvent(viewer, params.slug ?? "", form.data.input, context.appUrl, { confirmClash: form.data.confirmClash }) : form;
  return respond(request, result, `/events/${params.slug}`, { values, extra: (refused) => ({ clashes: ("clashes" in refused && refused.clashes) || [] }) });
}

export default function EditEvent() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="narrow">
      <p>
        <Link to={`/events/${d.slug}`}>Back to the event</Link>
      </p>
      <h1>Edit {d.title}</h1>
      <p>Changing the time, place or joining link tells everyone registered by email.</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <ClashWarning clashes={actionData?.clashes ?? []} confirmLabel="Save it anyway" />
        <EventFields values={actionData?.values ?? d.values} errors={actionData?.errors ?? {}} communities={d.communities} hubs={d.hubs} withRepeat={false} />
        <button type="submit" className="button">
          Save changes
        </button>
      </Form>
    </div>
  );
}
