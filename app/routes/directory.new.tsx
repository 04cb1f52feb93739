import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireVerifiedUser } from "~/auth/permissions.server";
import { FormError } from "~/components/forms";
import { OrganisationFields } from "~/components/organisation-fields";
import { OrganisationForm } from "~/forms/directory.server";
import { ORGANISATION_TYPE_LABELS, UK_REGIONS } from "~/models/organisation-types";
import { createOrganisation } from "~/models/orgs.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { FIELDS_MESSAGE, refuse } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
import { slugify } from "~/utils/slug";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [OrganisationForm];

export const meta: MetaFunction = () => [{ title: "Add your organisation · Directory · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireVerifiedUser(context);
  return { types: Object.entries(ORGANISATION_TYPE_LABELS), regions: UK_REGIONS as readonly string[] };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireVerifiedUser(context);
  const body = await readForm(request);
  const form = await parseForm(body, OrganisationForm);
  const values = { ...form.values, regions: body.getAll("regions").map(String) };
  if (!form.ok) return respond(request, form, "/directory/new", { values });
  const slug = slugify(form.data.name);
  if (slug.length < 2) return respond(request, refuse(400, FIELDS_MESSAGE, { fieldErrors: { name: "Use letters or numbers in the name" } }), "", { values });
  return respond(request, await createOrganisation(viewer, slug, form.data), `/directory/${slug}`, { values });
}

export default function NewOrganisation() {
  const { types, regions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="narrow">
      <p>
        <Link to="/directory">Organisation directory</Link>
      </p>
      <h1>Add your organisation</h1>
      <p>You will be its first admin: you approve colleagues who ask to join, and can sign the shared principles on its behalf.</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <OrganisationFields values={actionData?.values ?? {}} errors={actionData?.errors ?? {}} types={types} regions={regions} />
        <button type="submit" className="button">
          Add to the directory
        </button>
      </Form>
    </div>
  );
}
