import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/permissions.server";
import { CommunityBadges } from "~/components/badges";
import { CommunityFields } from "~/components/community-fields";
import { FormError } from "~/components/forms";
import { CreateCommunityForm } from "~/forms/communities.server";
import { createCommunity, listAllCommunitiesForAdmin } from "~/models/communities.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [CreateCommunityForm];

export const meta: MetaFunction = () => [{ title: "Communities · Admin · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const admin = requireRole(context, "admin");
  const communities = await listAllCommunitiesForAdmin(admin);
  if (!communities) throw new Response("Only admins can do that.", { status: 403 });
  return {
    communities: communities.map((c) => ({ slug: c.slug, name: c.name, joinPolicy: c.joinPolicy, visibility: c.visibility, memberCount: c.memberCount })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireRole(context, "admin");
  const form = await parseForm(request, CreateCommunityForm);
  const result = form.ok ? await createCommunity(admin, form.data) : form;
  return respond(request, result, `/admin/communities/${form.values.slug}`, { values: form.values });
}

export default function AdminCommunities() {
  const { communities } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin">Admin</Link>
      </p>
      <h1>Communities</h1>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Community</th>
              <th scope="col">Joining and visibility</th>
              <th scope="col">Members</th>
            </tr>
          </thead>
          <tbody>
            {communities.map((c) => (
              <tr key={c.slug}>
                <td>
                  <Link to={`/admin/communities/${c.slug}`}>{c.name}</Link>
                </td>
                <td>
                  <CommunityBadges joinPolicy={c.joinPolicy} visibility={c.visibility} />
                </td>
                <td>{c.memberCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Create a community</h2>
      <Form method="post" className="stack narrow" noValidate>
        <FormError message={actionData?.formError} errors={actionData?.errors} />
        <CommunityFields values={actionData?.values ?? {}} errors={actionData?.errors ?? {}} withSlug />
        <button type="submit" className="button">
          Create community
        </button>
      </Form>
    </>
  );
}
