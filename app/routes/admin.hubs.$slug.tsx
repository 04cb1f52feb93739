import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/permissions.server";
import { Field, FormError } from "~/components/forms";
import { HubFields } from "~/components/hub-fields";
import { RemoveStewardForm, StewardForm, UpdateHubForm } from "~/forms/hubs.server";
import { findHub, hubStewards, setSteward, ukDate, updateHub } from "~/models/hubs.server";
import { getUserByEmail } from "~/models/users.server";
import { redirectWithFlash } from "~/utils/flash.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.test.ts) finds them here.
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
  const body = await readForm(request);
  const intent = body.get("intent");
  if (intent === "steward") {
    const form = await parseForm(body, StewardForm);
    if (!form.ok) return data({ errors: form.errors, values: form.values, formError: null }, { status: 400 });
    const person = await getUserByEmail(form.data.email);
    if (!person) return data({ errors: { email: "No one on Convene uses that email address" }, values: form.values, formError: null }, { status: 400 });
    const result = await setSteward(admin, slug, person.id, true);
    if (!result.ok) return data({ errors: {}, values: form.values, formError: result.message }, { status: result.status });
    return redirectWithFlash(request, `/admin/hubs/${slug}`, result.message);
  }
  if (intent === "remove-steward") {
    const form = await parseForm(body, RemoveStewardForm);
    if (!form.ok) return data({ errors: {}, values: {}, formError: "Choose a steward to remove." }, { status: 400 });
    const result = await setSteward(admin, slug, form.data.userId, false);
    if (!result.ok) return data({ errors: {}, values: {}, formError: result.message }, { status: result.status });
    return redirectWithFlash(request, `/admin/hubs/${slug}`, result.message);
  }
  const form = await parseForm(body, UpdateHubForm);
  if (!form.ok) return data({ errors: form.errors, values: form.values, formError: null }, { status: 400 });
  const result = await updateHub(admin, slug, {
    title: form.data.title,
    momentName: form.data.momentName,
    momentAt: form.data.momentAt,
    summary: form.data.summary,
    description: form.data.description,
  });
  if (!result.ok) return data({ errors: {}, values: form.values, formError: result.message }, { status: result.status });
  return redirectWithFlash(request, `/admin/hubs/${slug}`, result.message);
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
      <FormError message={actionData?.formError} />
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
