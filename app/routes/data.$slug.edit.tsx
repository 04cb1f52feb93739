import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireVerifiedUser } from "~/auth/permissions.server";
import { DataSourceFields, type SourceValues } from "~/components/data-source-fields";
import { FormError } from "~/components/forms";
import { DataSourceForm } from "~/forms/data.server";
import { getSourceForViewer, suggestChange } from "~/models/data-sources.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [DataSourceForm];

export const meta: MetaFunction = () => [{ title: "Improve a data source · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireVerifiedUser(context);
  const found = await getSourceForViewer(params.slug ?? "", viewer);
  if (!found) throw new Response("Not found", { status: 404 });
  if (!found.can.edit && !found.can.suggest)
    throw new Response("Only its proposer (until it is published), data stewards and admins can change this entry.", { status: 403 });
  const s = found.source;
  const values: SourceValues = {
    name: s.name,
    publisher: s.publisher,
    url: s.url ?? "",
    measures: s.measures,
    topics: s.topics.join(", "),
    coverage: s.coverage,
    placeLevels: s.placeLevels,
    firstYear: s.firstYear ? String(s.firstYear) : "",
    latestRelease: s.latestRelease ?? "",
    frequency: s.frequency ?? "",
    breakdowns: s.breakdowns,
    licence: s.licence ?? "",
    access: s.access,
    methods: s.methods,
    qualityIssues: s.qualityIssues,
    contact: s.contact ?? "",
  };
  return { slug: s.slug, name: s.name, values, suggesting: !found.can.edit };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireVerifiedUser(context);
  const slug = params.slug ?? "";
  const fd = await readForm(request);
  const form = await parseForm(fd, DataSourceForm);
  const values: SourceValues = { ...form.values, placeLevels: fd.getAll("placeLevels").map(String), breakdowns: fd.getAll("breakdowns").map(String) };
  if (!form.ok) return respond(request, form, `/data/${slug}/edit`, { values });
  // Someone who may edit saves; anyone else verified suggests, for a data steward to apply.
  return respond(request, await suggestChange(viewer, slug, form.data), `/data/${slug}`, { values });
}

export default function EditSource() {
  const loaded = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const values = (refused && "values" in refused ? refused.values : loaded.values) as SourceValues;
  return (
    <div className="narrow">
      <p>
        <Link to={`/data/${loaded.slug}`}>{loaded.name}</Link>
      </p>
      <h1>{loaded.suggesting ? "Suggest an improvement" : "Improve this entry"}</h1>
      <p className="lede">
        {loaded.suggesting
          ? "Change what is wrong or missing. A data steward reads each suggestion and applies it; every change is kept in the entry's history."
          : "Every change is kept in the entry's history."}
      </p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <Form method="post" className="stack" noValidate>
        <DataSourceFields values={values} errors={errors} />
        <div className="actions">
          <button type="submit" className="button">
            {loaded.suggesting ? "Send the suggestion" : "Save the changes"}
          </button>
        </div>
      </Form>
    </div>
  );
}
