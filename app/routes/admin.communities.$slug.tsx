import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/permissions.server";
import { CommunityFields } from "~/components/community-fields";
import { Field, FormError } from "~/components/forms";
import { AppointFacilitatorForm, UpdateCommunityForm } from "~/forms/communities.server";
import { getCommunityForAdmin, setCommunityRole, updateCommunity } from "~/models/communities.server";
import { getUserByEmail, noOneWithThatEmail } from "~/models/users.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [AppointFacilitatorForm, UpdateCommunityForm];

export const meta: MetaFunction = () => [{ title: "Edit community · Admin · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = requireRole(context, "admin");
  const view = await getCommunityForAdmin(admin, params.slug ?? "");
  if (!view) throw new Response("Not found", { status: 404 });
  const c = view.community;
  return {
    community: { slug: c.slug, name: c.name, summary: c.summary, about: c.about, joinPolicy: c.joinPolicy, visibility: c.visibility },
    facilitators: view.facilitators,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = requireRole(context, "admin");
  const slug = params.slug ?? "";
  const here = `/admin/communities/${slug}`;
  const body = await readForm(request);
  if (body.get("intent") === "appoint") {
    const form = await parseForm(body, AppointFacilitatorForm);
    if (!form.ok) return respond(request, form, here, { values: form.values });
    const person = await getUserByEmail(form.data.email);
    if (!person) return respond(request, noOneWithThatEmail(), here, { values: form.values });
    return respond(request, await setCommunityRole(admin, slug, person.id, "facilitator"), here, { values: form.values });
  }
  const form = await parseForm(body, UpdateCommunityForm);
  if (!form.ok) return respond(request, form, here, { values: form.values });
  const { intent: _intent, ...input } = form.data;
  return respond(request, await updateCommunity(admin, slug, input), here, { values: form.values });
}

export default function AdminCommunity() {
  const { community, facilitators } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  const values = actionData?.values?.intent === "save" ? actionData.values : community;
  return (
    <>
      <p>
        <Link to="/admin/communities">Communities</Link> · <Link to={`/communities/${community.slug}`}>View the community page</Link>
      </p>
      <h1>{community.name}</h1>
      <FormError message={actionData?.formError} errors={actionData?.errors} />
      <h2>Facilitators</h2>
      {facilitators.length ? (
        <ul>
          {facilitators.map((f) => (
            <li key={f.id}>{f.name}</li>
          ))}
        </ul>
      ) : (
        <p>No facilitators yet: appoint at least one, so join requests are answered.</p>
      )}
      <Form method="post" className="stack narrow" noValidate>
        <input type="hidden" name="intent" value="appoint" />
        <Field
          name="email"
          label="Appoint a facilitator by email"
          type="email"
          error={actionData?.values?.intent === "appoint" ? errors.email : undefined}
          defaultValue={actionData?.values?.intent === "appoint" ? actionData.values.email : undefined}
        />
        <button type="submit" className="button secondary">
          Appoint facilitator
        </button>
      </Form>
      <h2>Details</h2>
      <Form method="post" className="stack narrow" noValidate>
        <input type="hidden" name="intent" value="save" />
        <CommunityFields values={values} errors={actionData?.values?.intent === "save" ? errors : {}} withSlug={false} />
        <button type="submit" className="button">
          Save changes
        </button>
      </Form>
    </>
  );
}
