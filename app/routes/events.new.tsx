import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { EventFields } from "~/components/event-fields";
import { ClashWarning } from "~/components/events";
import { FormError } from "~/components/forms";
import { EventForm } from "~/forms/events.server";
import { createEvent, eventFormChoices } from "~/models/events.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [EventForm];

export const meta: MetaFunction = () => [{ title: "Create an event · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const { rights, communities, hubs } = await eventFormChoices(viewer.id);
  if (!rights.anyEvent && rights.communities.length === 0) {
    throw new Response("Only organisers, and community facilitators for their communities, can create events. Ask an admin if you need the organiser role.", {
      status: 403,
    });
  }
  return { communities, hubs };
}

type Clash = { title: string; slug: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const body = await readForm(request);
  const form = await parseForm(body, EventForm);
  const values = {
    ...Object.fromEntries([...body.entries()].filter(([, v]) => typeof v === "string")),
    accessProvisions: body.getAll("accessProvisions").map(String),
  } as Record<string, string | string[]>;
  const result = form.ok ? await createEvent(viewer, form.data.input, { confirmClash: form.data.confirmClash, repeat: form.data.repeat }) : form;
  return respond(request, result, (made) => `/events/${made.slug}`, {
    values,
    extra: (refused) => ({ clashes: (("clashes" in refused && refused.clashes) || []) as Clash[] }),
  });
}

export default function NewEvent() {
  const { communities, hubs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="narrow">
      <p>
        <Link to="/events">All events</Link>
      </p>
      <h1>Create an event</h1>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <ClashWarning clashes={actionData?.clashes ?? []} confirmLabel="Create it anyway" />
        <EventFields
          values={actionData?.values ?? { timeZone: "Europe/London", kind: "webinar" }}
          errors={actionData?.errors ?? {}}
          communities={communities}
          hubs={hubs}
          withRepeat
        />
        <button type="submit" className="button">
          Save as draft
        </button>
      </Form>
    </div>
  );
}
