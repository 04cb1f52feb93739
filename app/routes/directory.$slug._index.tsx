import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { LevelBadge } from "~/components/badges";
import { formatEventTime, SeriesDates } from "~/components/events";
import { FollowButton } from "~/components/follow";
import { FormError } from "~/components/forms";
import { StatusBadge } from "~/components/tasks";
import { Time } from "~/components/time";
import { OrganisationActionForm } from "~/forms/directory.server";
import { communitiesOfOrganisation } from "~/models/communities.server";
import { SKILL_LABELS } from "~/models/data-source-facets";
import { getOrganisationProfile, hostedEvents } from "~/models/directory.server";
import { isFollowing } from "~/models/follows.server";
import { ENGAGEMENT_LABELS, ORGANISATION_TYPE_LABELS } from "~/models/organisation-types";
import { decideOrganisationRequest, leaveOrganisation, requestToJoinOrganisation, setAnchorPartner, setOrganisationRole } from "~/models/orgs.server";
import { tasksOfOrganisation } from "~/models/task-reads.server";
import { skillsOfOrganisation } from "~/models/task-research.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { refuse } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [OrganisationActionForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.org.name} · Directory · Convene` : "Organisation · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const profile = await getOrganisationProfile(params.slug ?? "", context.auth.user);
  if (!profile) throw new Response("Not found", { status: 404 });
  const { org } = profile;
  return {
    org: {
      slug: org.slug,
      name: org.name,
      type: ORGANISATION_TYPE_LABELS[org.type],
      about: org.about,
      regions: org.regions,
      focusAreas: org.focusAreas,
      website: org.website,
      anchorPartner: org.anchorPartner,
    },
    follow: context.auth.user ? { id: org.id, following: await isFollowing(context.auth.user.id, "organisation", org.id) } : null,
    level: profile.level,
    levelMeaning: ENGAGEMENT_LABELS[profile.level].meaning,
    members: profile.members.map((m) => ({ id: m.id, name: m.name, role: m.role })),
    pending: profile.pending.map((m) => ({ id: m.id, name: m.name, requestedAt: m.requestedAt })),
    signatures: profile.signatures,
    communities: await communitiesOfOrganisation(org.id),
    tasks: await tasksOfOrganisation(org.id),
    skills: await skillsOfOrganisation(org.id),
    events: await hostedEvents(org.id, context.auth.user),
    can: profile.can,
    viewer: context.auth.user ? { id: context.auth.user.id } : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const slug = params.slug ?? "";
  const form = await parseForm(request, OrganisationActionForm);
  const here = `/directory/${slug}`;
  if (!form.ok) return respond(request, refuse(400, "That action is not recognised."), here);
  const f = form.data;
  switch (f.intent) {
    case "request":
      return respond(request, await requestToJoinOrganisation(viewer, slug), here);
    case "leave":
      return respond(request, await leaveOrganisation(viewer, slug), here);
    case "approve":
    case "decline":
      return respond(request, await decideOrganisationRequest(viewer, slug, f.userId, f.intent === "approve", context.appUrl), here);
    case "make-admin":
    case "make-member":
      return respond(request, await setOrganisationRole(viewer, slug, f.userId, f.intent === "make-admin" ? "admin" : "member"), here);
    case "anchor":
      return respond(request, await setAnchorPartner(viewer, slug, f.anchor === "1"), here);
  }
}

export default function OrganisationProfile() {
  const { org, level, levelMeaning, members, pending, signatures, communities, tasks, events, can, viewer, follow, skills } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  return (
    <>
      <p>
        <Link to="/directory">Organisation directory</Link>
      </p>
      <h1>{org.name}</h1>
      <p>
        <span className="badge">{org.type}</span>
        <LevelBadge level={level} /> <span className="muted">({levelMeaning})</span>
      </p>
      {follow ? <FollowButton kind="organisation" id={follow.id} following={follow.following} name={org.name} /> : null}
      <FormError message={actionData?.formError} />
      {can.manage ? (
        <p>
          <Link to={`/directory/${org.slug}/edit`} className="button secondary small">
            Edit the profile
          </Link>
        </p>
      ) : null}

      <section aria-labelledby="about-heading">
        <h2 id="about-heading">About</h2>
        {org.about ? <p>{org.about}</p> : <p className="muted">No description yet.</p>}
        <dl className="facts">
          <dt>Regions</dt>
          <dd>{org.regions.join(", ") || "Not given"}</dd>
          <dt>Focus areas</dt>
          <dd>{org.focusAreas.join(", ") || "Not given"}</dd>
          {org.website ? (
            <>
              <dt>Website</dt>
              <dd>
                <a href={org.website} rel="noopener noreferrer">
                  {org.website.replace(/^https?:\/\//, "")}
                </a>
              </dd>
            </>
          ) : null}
          <dt>Shared principles</dt>
          <dd>
            {signatures.length ? (
              <>
                Signed version {signatures[0].version} on <Time value={signatures[0].signedAt} />
                {signatures[0].signedBy ? ` by ${signatures[0].signedBy}` : ""}
              </>
            ) : (
              <>
                Not signed yet. <Link to="/principles">Read the principles</Link>
              </>
            )}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="members-heading">
        <h2 id="members-heading">People</h2>
        {members.length ? (
          <ul>
            {members.map((m) => (
              <li key={m.id}>
                {m.name}
                {m.role === "admin" ? <span className="badge badge-after">admin</span> : null}
                {can.manage && m.id !== viewer?.id ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="userId" value={m.id} />
                    <input type="hidden" name="intent" value={m.role === "admin" ? "make-member" : "make-admin"} />{" "}
                    <button type="submit" className="button small secondary">
                      {m.role === "admin" ? "Remove as admin" : "Make admin"}
                      <span className="visually-hidden">: {m.name}</span>
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>No one from {org.name} is on Convene yet.</p>
        )}
        {!viewer ? (
          <p>
            Work here? <Link to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}>Log in</Link> to ask to join.
          </p>
        ) : can.leave ? (
          <Form method="post">
            <input type="hidden" name="intent" value="leave" />
            <button type="submit" className="button secondary">
              Leave {org.name}
            </button>
          </Form>
        ) : can.withdraw ? (
          <Form method="post" className="actions">
            <p style={{ margin: 0 }}>Your request to join is with {org.name}'s admins.</p>
            <input type="hidden" name="intent" value="leave" />
            <button type="submit" className="button secondary">
              Withdraw my request
            </button>
          </Form>
        ) : can.requestToJoin ? (
          <Form method="post">
            <input type="hidden" name="intent" value="request" />
            <button type="submit" className="button">
              I work here: ask to join {org.name}
            </button>
          </Form>
        ) : can.confirmFirst ? (
          <p>
            To join {org.name}, first confirm your email address (see <Link to="/me">My account</Link>).
          </p>
        ) : null}
      </section>

      {can.manage ? (
        <section aria-labelledby="requests-heading">
          <h2 id="requests-heading">Requests to join</h2>
          {pending.length === 0 ? (
            <p>No requests are waiting.</p>
          ) : (
            <ul className="request-list">
              {pending.map((p) => (
                <li key={p.id} className="panel actions">
                  <span>
                    <strong>{p.name}</strong> asked <Time value={p.requestedAt} />
                  </span>
                  <Form method="post" className="actions">
                    <input type="hidden" name="userId" value={p.id} />
                    <button type="submit" name="intent" value="approve" className="button small">
                      Approve {p.name}
                    </button>
                    <button type="submit" name="intent" value="decline" className="button small secondary">
                      Decline {p.name}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <section aria-labelledby="communities-heading">
        <h2 id="communities-heading">Communities</h2>
        {communities.length ? (
          <ul>
            {communities.map((c) => (
              <li key={c.slug}>
                <Link to={`/communities/${c.slug}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No one from {org.name} is in a public community yet.</p>
        )}
      </section>
      <section aria-labelledby="events-heading">
        <h2 id="events-heading">Events hosted</h2>
        {events.upcoming.length + events.past.length === 0 ? <p className="muted">No events hosted yet.</p> : null}
        {[
          { label: "Coming up", list: events.upcoming },
          { label: "Past", list: events.past },
        ].map(({ label, list }) =>
          list.length ? (
            <div key={label}>
              <h3>{label}</h3>
              <ul className="hosted-events">
                {list.map((e) => (
                  <li key={e.slug}>
                    <Link to={`/events/${e.slug}`}>{e.title}</Link> <span className="muted">{formatEventTime(e.startsAt, e.endsAt, e.timeZone)}</span>
                    {e.state === "cancelled" ? <span className="badge cancelled badge-after">Cancelled</span> : null}
                    <SeriesDates dates={e.otherDates} />
                  </li>
                ))}
              </ul>
            </div>
          ) : null,
        )}
      </section>
      <section aria-labelledby="research-heading">
        <h2 id="research-heading">Research tasks led or helped with</h2>
        {tasks.length ? (
          <ul>
            {tasks.map((t) => (
              <li key={`${t.id}-${t.role}`}>
                <Link to={`/hubs/${t.hubSlug}/tasks/${t.id}`}>{t.title}</Link> <StatusBadge status={t.status} />{" "}
                <span className="muted small">
                  {t.role === "lead" ? "they lead it" : "they help with it"}, on {t.hubTitle}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{org.name} is not leading or helping with a research task yet.</p>
        )}
        {skills.length ? (
          <>
            <h3>Research skills its people offer</h3>
            <ul>
              {skills.map((p) => (
                <li key={p.name}>
                  {p.name}: {p.skills.map((s) => SKILL_LABELS[s]).join(", ")}
                  {p.available ? " (has time now)" : ""}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {can.markAnchor ? (
        <section aria-labelledby="admin-heading" className="panel">
          <h2 id="admin-heading" style={{ marginTop: 0 }}>
            For Convene's admins
          </h2>
          <Form method="post">
            <input type="hidden" name="intent" value="anchor" />
            <input type="hidden" name="anchor" value={org.anchorPartner ? "0" : "1"} />
            <button type="submit" className="button secondary">
              {org.anchorPartner ? "Remove anchor partner status" : "Make an anchor partner"}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
