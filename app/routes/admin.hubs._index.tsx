import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/permissions.server";
import { FormError } from "~/components/forms";
import { HubFields } from "~/components/hub-fields";
import { Time } from "~/components/time";
import { CreateHubForm } from "~/forms/hubs.server";
import { createHub, listHubs } from "~/models/hubs.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [CreateHubForm];

export const meta: MetaFunction = () => [{ title: "Moment hubs · Admin · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireRole(context, "admin");
  const hubs = await listHubs();
  return { hubs: hubs.map((h) => ({ slug: h.slug, title: h.title, momentAt: h.momentAt.toISOString(), stage: h.stage, taskCount: h.taskCount })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireRole(context, "admin");
  const form = await parseForm(request, CreateHubForm);
  if (!form.ok) return respond(request, form, "/admin/hubs", { values: form.values });
  const { slug, ...input } = form.data;
  return respond(request, await createHub(admin, slug, input), `/admin/hubs/${slug}`, { values: form.values });
}

export default function AdminHubs() {
  const { hubs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin">Admin</Link>
      </p>
      <h1>Moment hubs</h1>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Hub</th>
              <th scope="col">Moment</th>
              <th scope="col">Stage</th>
              <th scope="col">Tasks</th>
            </tr>
          </thead>
          <tbody>
            {hubs.map((h) => (
              <tr key={h.slug}>
                <td>
                  <Link to={`/admin/hubs/${h.slug}`}>{h.title}</Link>
                </td>
                <td>
                  <Time value={h.momentAt} />
                </td>
                <td>{h.stage}</td>
                <td>{h.taskCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Create a hub</h2>
      <Form method="post" className="stack narrow" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <HubFields values={actionData?.values ?? {}} errors={actionData?.errors ?? {}} withSlug />
        <button type="submit" className="button">
          Create hub
        </button>
      </Form>
    </>
  );
}
