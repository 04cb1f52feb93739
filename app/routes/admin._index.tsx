import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RoleChangeForm } from "~/auth/forms.server";
import { requireRole } from "~/auth/permissions.server";
import { FormError } from "~/components/forms";
import { findPeople, setRole } from "~/models/roles.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { refuse } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [RoleChangeForm];

export const meta: MetaFunction = () => [{ title: "Admin · Convene" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = requireRole(context, "admin");
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 100) ?? "";
  const people = await findPeople(admin.id, q);
  if (!people) throw new Response("Only admins can do that.", { status: 403 });
  return { q, people, me: admin.id };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireRole(context, "admin");
  const form = await parseForm(request, RoleChangeForm);
  if (!form.ok) return respond(request, refuse(400, "That change is not valid."), "/admin");
  const back = form.data.q ? `/admin?q=${encodeURIComponent(form.data.q)}` : "/admin";
  return respond(request, await setRole(admin.id, form.data.userId, form.data.role, form.data.grant === "1"), back);
}

const ROLES = [
  { role: "organiser", label: "Organiser" },
  { role: "admin", label: "Admin" },
  { role: "data_steward", label: "Data steward" },
  { role: "payments", label: "Payments approver" },
] as const;

export default function Admin() {
  const { q, people, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>Admin</h1>
      <nav aria-label="Admin" className="sub-nav">
        <ul>
          <li>
            <Link to="/admin" aria-current="page">
              People and roles
            </Link>
          </li>
          <li>
            <Link to="/admin/communities">Communities</Link>
          </li>
          <li>
            <Link to="/admin/hubs">Moment hubs</Link>
          </li>
          <li>
            <Link to="/directory">Organisations (edit from their profiles)</Link>
          </li>
        </ul>
      </nav>
      <p className="lede">
        Find people and grant or remove platform roles. Organisers can create and run events; data stewards publish entries in the data catalogue; admins can do
        everything.
      </p>
      <FormError message={actionData?.formError} />
      <Form method="get" role="search" className="actions" aria-label="Find people">
        <div className="field" style={{ flex: "1 1 18rem" }}>
          <label htmlFor="q">Name or email</label>
          <input id="q" type="search" name="q" defaultValue={q} />
        </div>
        <button type="submit" className="button" style={{ alignSelf: "flex-end" }}>
          Search
        </button>
      </Form>
      <h2>{q ? `People matching “${q}”` : "People"}</h2>
      {people.length === 0 ? (
        <p>No one matches that search.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Roles</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>
                    {p.email} {p.emailVerifiedAt ? null : <span className="badge warn">unconfirmed</span>}
                  </td>
                  <td>
                    {p.roles.length ? (
                      p.roles.map((r) => (
                        <span key={r} className="badge">
                          {r}
                        </span>
                      ))
                    ) : (
                      <span className="muted">member</span>
                    )}
                  </td>
                  <td>
                    <div className="actions">
                      {ROLES.map(({ role, label }) => {
                        const has = p.roles.includes(role);
                        if (has && role === "admin" && p.id === me) return null;
                        return (
                          <Form method="post" key={role} className="inline-form">
                            <input type="hidden" name="userId" value={p.id} />
                            <input type="hidden" name="role" value={role} />
                            <input type="hidden" name="grant" value={has ? "0" : "1"} />
                            <input type="hidden" name="q" value={q} />
                            <button type="submit" className="button small secondary">
                              {has ? `Remove ${label.toLowerCase()}` : `Make ${label.toLowerCase()}`}
                              <span className="visually-hidden">: {p.name}</span>
                            </button>
                          </Form>
                        );
                      })}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
