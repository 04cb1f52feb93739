import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireVerifiedUser } from "~/auth/permissions.server";
import { Choices } from "~/components/data-source-fields";
import { Field, FormError, SelectField, TextArea } from "~/components/forms";
import { GapForm } from "~/forms/data.server";
import { gapFormContext, raiseGap } from "~/models/data-gaps.server";
import { GAP_GROUP_LABELS, GAP_GROUPS, GAP_KIND_LABELS, GAP_KINDS, PLACE_LEVEL_LABELS, PLACE_LEVELS } from "~/models/data-source-facets";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [GapForm];

export const meta: MetaFunction = () => [{ title: "Raise a data gap · Convene" }];

const placeParams = (url: URL) => ({
  task: url.searchParams.get("task")?.slice(0, 100) || null,
  hub: url.searchParams.get("hub")?.slice(0, 100) || null,
  community: url.searchParams.get("community")?.slice(0, 100) || null,
  source: url.searchParams.get("source")?.slice(0, 100) || null,
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requireVerifiedUser(context);
  const q = placeParams(new URL(request.url));
  const found = await gapFormContext(viewer, q);
  if (!found) throw new Response("Not found", { status: 404 });
  return { ...found, place: { task: q.task ?? "", hub: q.hub ?? "", community: q.community ?? "" } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireVerifiedUser(context);
  const fd = await readForm(request);
  const form = await parseForm(fd, GapForm);
  const here = `/data/gaps/new${new URL(request.url).search}`;
  const values = { ...form.values, placeLevels: fd.getAll("placeLevels").map(String), groups: fd.getAll("groups").map(String) };
  if (!form.ok) return respond(request, form, here, { values });
  return respond(request, await raiseGap(viewer, form.data), (d) => `/data/gaps/${d.id}`, { values });
}

type Values = Partial<Record<string, string>> & { placeLevels?: string[]; groups?: string[] };

export default function RaiseGap() {
  const { where, private: isPrivate, sourceName, orgs, place } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const values = (refused && "values" in refused ? refused.values : {}) as Values;
  return (
    <div className="narrow">
      <p>
        <Link to="/data/gaps">Data gaps</Link>
      </p>
      <h1>Raise a data gap</h1>
      <p className="lede">Say which question you could not answer, and what the data is missing. Others can then say "us too" for their organisation.</p>
      {where ? (
        <p>
          Raised from the {where.kind} <Link to={where.href}>{where.label}</Link>.
          {isPrivate ? " The community is private: only its members will see this gap until a facilitator makes it public." : ""}
        </p>
      ) : null}
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="task" value={place.task} />
        <input type="hidden" name="hub" value={place.hub} />
        <input type="hidden" name="community" value={place.community} />
        <TextArea
          name="question"
          label="The question the data cannot answer"
          rows={2}
          required
          maxLength={300}
          defaultValue={values.question}
          error={errors.question}
          hint="e.g. How many disabled people use food banks in each local authority?"
        />
        <SelectField
          name="kind"
          label="What kind of gap is it?"
          defaultValue={values.kind ?? ""}
          error={errors.kind}
          options={[["", "Choose one"] as const, ...GAP_KINDS.map((k) => [k, GAP_KIND_LABELS[k]] as const)]}
        />
        <Field name="places" label="Places affected" defaultValue={values.places} error={errors.places} hint="e.g. Wales; every local authority in England." />
        <Choices
          name="placeLevels"
          legend="Figures are missing for"
          options={PLACE_LEVELS.map((l) => [l, PLACE_LEVEL_LABELS[l]] as const)}
          chosen={values.placeLevels ?? []}
          error={errors.placeLevels}
        />
        <Choices
          name="groups"
          legend="People the gap affects"
          options={GAP_GROUPS.map((g) => [g, GAP_GROUP_LABELS[g]] as const)}
          chosen={values.groups ?? []}
          error={errors.groups}
        />
        <TextArea
          name="sources"
          label="Sources that fall short"
          rows={2}
          defaultValue={values.sources ?? sourceName}
          error={errors.sources}
          hint="Names as the catalogue writes them, one per line, e.g. Family Resources Survey. Leave it empty if none comes close."
        />
        <TextArea
          name="shortfall"
          label="How they fall short"
          rows={4}
          defaultValue={values.shortfall}
          error={errors.shortfall}
          hint="e.g. The sample is too small below region; it misses people in temporary accommodation."
        />
        {orgs.length > 1 ? (
          <SelectField
            name="organisationId"
            label="Raise it for"
            defaultValue={values.organisationId ?? orgs[0].id}
            error={errors.organisationId}
            options={orgs.map((o) => [o.id, o.name] as const)}
          />
        ) : null}
        <div className="actions">
          <button type="submit" className="button">
            Raise the gap
          </button>
        </div>
      </Form>
    </div>
  );
}
