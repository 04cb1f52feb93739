import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { requireVerifiedUser } from "~/auth/permissions.server";
import { DataSourceFields, type SourceValues } from "~/components/data-source-fields";
import { FormError } from "~/components/forms";
import { DataSourceForm } from "~/forms/data.server";
import { proposeSource } from "~/models/data-sources.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [DataSourceForm];

export const meta: MetaFunction = () => [{ title: "Propose a data source · Convene" }];

export function loader({ context }: LoaderFunctionArgs) {
  requireVerifiedUser(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireVerifiedUser(context);
  const fd = await readForm(request);
  const form = await parseForm(fd, DataSourceForm);
  const values: SourceValues = { ...form.values, placeLevels: fd.getAll("placeLevels").map(String), breakdowns: fd.getAll("breakdowns").map(String) };
  if (!form.ok) return respond(request, form, "/data/new", { values });
  return respond(request, await proposeSource(viewer, form.data), (d) => `/data/${d.slug}`, { values });
}

export default function ProposeSource() {
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const values = (refused && "values" in refused ? refused.values : {}) as SourceValues;
  return (
    <div className="narrow">
      <p>
        <Link to="/data">Data sources</Link>
      </p>
      <h1>Propose a data source</h1>
      <p className="lede">Describe only what you know: leave a field empty rather than guess. A data steward checks each entry before it is published.</p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <Form method="post" className="stack" noValidate>
        <DataSourceFields values={values} errors={errors} />
        <div className="actions">
          <button type="submit" className="button">
            Propose it
          </button>
        </div>
      </Form>
    </div>
  );
}
