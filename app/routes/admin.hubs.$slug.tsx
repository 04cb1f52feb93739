import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/permissions.server";
import { Field, FormError } from "~/components/forms";
import { HubFields } from "~/components/hub-fields";
import { RemoveStewardForm, StewardForm, UpdateHubForm } from "~/forms/hubs.server";
import { findHub, hubStewards, setSteward, ukDate, updateHub } from "~/models/hubs.server";
import { getUserByEmail, noOneWithThatEmail } from "~/models/users.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { refuse } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [StewardForm, RemoveStewardForm, UpdateHubForm];

export const meta: MetaFunction = () => [{ title: "Edit hub · Admin · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  requireRole(context, "admin");
  const hub = await findHub(params.slug ?? "");
  if (!hub) throw new Response("Not found", { status: 404 });
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(hub.momentAt);
  return {
    hub: {
      slug: hub.slug,
      title: hub.title,
      momentName: hub.momentName,
      momentDate: ukDate(hub.momentAt),
      momentTime: time,
      summary: hub.summary,
      description: hub.description,
    },
    stewards: await hubStewards(hub.id),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = requireRole(context, "admin");
  const slug = params.slug ?? "";
  const here = `/admin/hubs/${slug}`;
  const body = await readForm(request);
  const intent = body.get("intent");
  if (intent === "steward") {
    const form = await parseForm(body, StewardForm);
    if (!form.ok) return respond(request, form, here, { values: form.values });
    const person = await getUserByEmail(form.data.email);
    if (!person) return respond(request, noOneWithThatEmail(), here, { values: form.values });
    return respond(request, await setSteward(admin, slug, person.id, true), here, { values: form.values });
  }
  if (intent === "remove-steward") {
    const form = await parseForm(body, RemoveStewardForm);
    if (!form.ok) return respond(request, refuse(400, "Choose a steward to remove."), here);
    return respond(request, await setSteward(admin, slug, form.data.userId, false), here);
  }
  const form = await parseForm(body, UpdateHubForm);
  if (!form.ok) return respond(request, form, here, { values: form.values });
  const { title, momentName, momentAt, summary, description } = form.data;
  return respond(request, await updateHub(admin, slug, { title, momentName, momentAt, summary, description }), here, { values: form.values });
}

export default function AdminHub() {
  const { hub, stewards } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  const v: Partial<Record<string, string>> = actionData?.values ?? {};
  const stewardForm = v.intent === "steward";
  return (
    <>
      <p>
        <Link to="/admin/hubs">Moment hubs</Link> · <Link to={`/hubs/${hub.slug}`}>View the hub</Link>
      </p>
      <h1>{hub.title}</h1>
      <FormError message={actionData?.formError} errors={actionData?.errors} />
      <h2>Stewards</h2>
      {stewards.length ? (
        <ul>
          {stewards.map((s) => (
            <li key={s.id}>
              {s.name}{" "}
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="remove-steward" />
                <input type="hidden" name="userId" value={s.id} />
                <button type="submit" className="button small secondary">
                  Remove<span className="visually-hidden"> {s.name} as steward</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p>No stewards yet.</p>
      )}
      <Form method="post" className="stack narrow" noValidate>
        <input type="hidden" name="intent" value="steward" />
        <Field
          name="email"
          label="Appoint a steward by email"
          type="email"
          error={stewardForm ? errors.email : undefined}
          defaultValue={stewardForm ? v.email : undefined}
        />
        <button type="submit" className="button secondary">
          Appoint steward
        </button>
      </Form>
      <h2>Details</h2>
      <Form method="post" className="stack narrow" noValidate>
        <input type="hidden" name="intent" value="save" />
        <HubFields values={stewardForm || !actionData ? hub : v} errors={stewardForm ? {} : errors} withSlug={false} />
        <button type="submit" className="button">
          Save changes
        </button>
      </Form>
    </>
  );
}
