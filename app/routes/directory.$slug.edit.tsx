import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { FormError } from "~/components/forms";
import { OrganisationFields } from "~/components/organisation-fields";
import { OrganisationForm } from "~/forms/directory.server";
import { getOrganisationProfile } from "~/models/directory.server";
import { ORGANISATION_TYPE_LABELS, UK_REGIONS } from "~/models/organisation-types";
import { updateOrganisation } from "~/models/orgs.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [OrganisationForm];

export const meta: MetaFunction = () => [{ title: "Edit profile · Directory · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const profile = await getOrganisationProfile(params.slug ?? "", viewer);
  if (!profile) throw new Response("Not found", { status: 404 });
  if (!profile.can.manage) throw new Response(`Only the admins of ${profile.org.name} can edit its profile.`, { status: 403 });
  const o = profile.org;
  return {
    org: { slug: o.slug, name: o.name, type: o.type, about: o.about, regions: o.regions, focusAreas: o.focusAreas.join(", "), website: o.website ?? "" },
    types: Object.entries(ORGANISATION_TYPE_LABELS),
    regions: UK_REGIONS as readonly string[],
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const body = await readForm(request);
  const form = await parseForm(body, OrganisationForm);
  const regions = body.getAll("regions").map(String);
  const values = { ...form.values, regions };
  if (!form.ok) return respond(request, form, "", { values });
  return respond(request, await updateOrganisation(viewer, params.slug ?? "", form.data), `/directory/${params.slug}`, { values });
}

export default function EditOrganisation() {
  const { org, types, regions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? org;
  return (
    <div className="narrow">
      <p>
        <Link to={`/directory/${org.slug}`}>Back to {org.name}</Link>
      </p>
      <h1>Edit {org.name}</h1>
      <Form method="post" className="stack" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <OrganisationFields values={values} errors={actionData?.errors ?? {}} types={types} regions={regions} />
        <button type="submit" className="button">
          Save the profile
        </button>
      </Form>
    </div>
  );
}
