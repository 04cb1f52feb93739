import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { FormError } from "~/components/forms";
import { Time } from "~/components/time";
import { MemberRoleForm } from "~/forms/communities.server";
import { listMembers, setCommunityRole } from "~/models/communities.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { refuse } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [MemberRoleForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Members of ${data.community.name} · Convene` : "Members · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { view, members } = await listMembers(params.slug ?? "", context.auth.user);
  if (!view) throw new Response("Not found", { status: 404 });
  if (!members) throw new Response("Only members of this community can see who belongs to it.", { status: 403 });
  return {
    community: { slug: view.community.slug, name: view.community.name },
    members,
    canFacilitate: view.can.facilitate,
    me: context.auth.user?.id ?? null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const slug = params.slug ?? "";
  const form = await parseForm(request, MemberRoleForm);
  if (!form.ok) return respond(request, refuse(400, "That action is not available here."), `/communities/${slug}/members`);
  const role = form.data.intent === "make-facilitator" ? "facilitator" : "member";
  return respond(request, await setCommunityRole(viewer, slug, form.data.userId, role), `/communities/${slug}/members`);
}

export default function Members() {
  const { community, members, canFacilitate, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/communities/${community.slug}`}>Back to {community.name}</Link>
      </p>
      <h1>Members of {community.name}</h1>
      <FormError message={actionData?.formError} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Members, their organisations, role and date joined</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Organisations</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              {canFacilitate ? <th scope="col">Change</th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>{m.name}</td>
                <td>
                  {m.organisations.length ? (
                    m.organisations.map((o, i) => (
                      <span key={o.slug}>
                        {i ? ", " : ""}
                        <Link to={`/directory/${o.slug}`}>{o.name}</Link>
                      </span>
                    ))
                  ) : (
                    <span className="muted">None listed</span>
                  )}
                </td>
                <td>{m.role === "facilitator" ? "Facilitator" : "Member"}</td>
                <td>
                  <Time value={m.joinedAt} />
                </td>
                {canFacilitate ? (
                  <td>
                    {m.userId === me ? null : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="userId" value={m.userId} />
                        <input type="hidden" name="intent" value={m.role === "facilitator" ? "make-member" : "make-facilitator"} />
                        <button type="submit" className="button small secondary">
                          {m.role === "facilitator" ? "Remove as facilitator" : "Make facilitator"}
                          <span className="visually-hidden">: {m.name}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
