import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { CommunityBadges } from "~/components/badges";
import { SubscribeLinks } from "~/components/calendar";
import { formatEventTime } from "~/components/events";
import { FollowButton } from "~/components/follow";
import { Field, FormError, TextArea } from "~/components/forms";
import { Thread } from "~/components/thread";
import { Time } from "~/components/time";
import { CommunityActionForm } from "~/forms/communities.server";
import { decideJoinRequest, getCommunityForViewer, inviteToCommunity, joinCommunity, leaveCommunity } from "~/models/communities.server";
import { upcomingEventsFor } from "~/models/events.server";
import { isFollowing } from "~/models/follows.server";
import { storedHtml } from "~/models/rendered-text.server";
import { threadForPage } from "~/models/threads.server";
import { seer } from "~/models/visibility.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { refuse } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [CommunityActionForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.community.name} · Convene` : "Community · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const view = await getCommunityForViewer(params.slug ?? "", context.auth.user);
  if (!view) throw new Response("Not found", { status: 404 });
  const c = view.community;
  const viewer = context.auth.user;
  // The follow button, the discussion and the events are read together.
  const [following, thread, events] = await Promise.all([
    viewer && !view.limited ? isFollowing(viewer.id, "community", c.id) : false,
    view.limited ? null : threadForPage("community", c.slug, viewer),
    view.limited ? [] : upcomingEventsFor({ communityId: c.id }, seer(viewer)),
  ]);
  return {
    community: {
      slug: c.slug,
      name: c.name,
      summary: c.summary,
      joinPolicy: c.joinPolicy,
      visibility: c.visibility,
      aboutHtml: storedHtml(c.aboutHtml, c.about),
    },
    memberCount: view.memberCount,
    facilitators: view.facilitators,
    pending: view.pending,
    standing: view.standing,
    can: view.can,
    limited: view.limited,
    feedUrl: `${context.appUrl}/communities/${c.slug}/calendar.ics`,
    follow: viewer && !view.limited ? { id: c.id, following } : null,
    thread,
    events: events.map((e) => ({
      slug: e.slug,
      title: e.title,
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      timeZone: e.timeZone,
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const slug = params.slug ?? "";
  const form = await parseForm(request, CommunityActionForm);
  const here = `/communities/${slug}`;
  if (!form.ok) return respond(request, oneMessage(form), here, { values: form.values });
  const f = form.data;
  switch (f.intent) {
    case "join":
      return respond(request, await joinCommunity(viewer, slug, f.message), here);
    case "leave": {
      const result = await leaveCommunity(viewer, slug);
      // Leaving a private community leaves nothing to come back to.
      return respond(request, result, result.ok ? "/communities" : here);
    }
    case "approve":
    case "decline":
      return respond(request, await decideJoinRequest(viewer, slug, f.userId, f.intent === "approve", f.message, context.appUrl), here);
    case "invite":
      return respond(request, await inviteToCommunity(viewer, slug, f.email, context.appUrl), here);
    default:
      return respond(request, refuse(400, "That action is not available here."), here);
  }
}

export default function CommunityPage() {
  const { community, memberCount, facilitators, pending, standing, can, events, feedUrl, thread, limited, follow } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  return (
    <>
      <p>
        <Link to="/communities">All communities</Link>
      </p>
      <h1>{community.name}</h1>
      <p className="lede">{community.summary}</p>
      <p>
        <CommunityBadges joinPolicy={community.joinPolicy} visibility={community.visibility} />
        {memberCount === null ? null : (
          <span className="muted">
            {memberCount} member{memberCount === 1 ? "" : "s"}
          </span>
        )}
      </p>
      {follow ? <FollowButton kind="community" id={follow.id} following={follow.following} name={community.name} /> : null}
      <FormError message={actionData?.formError} />

      <section className="panel" aria-labelledby="membership-heading">
        <h2 id="membership-heading" style={{ marginTop: 0 }}>
          Your membership
        </h2>
        {!standing.signedIn ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}>Log in</Link> or{" "}
            <Link to={`/signup?redirectTo=${encodeURIComponent(location.pathname)}`}>create an account</Link> to{" "}
            {community.joinPolicy === "open" ? "join" : "ask to join"} this community.
          </p>
        ) : can.leave ? (
          <p style={{ margin: 0 }}>
            {standing.role === "facilitator" ? "You facilitate this community." : "You are a member of this community."} <a href="#leave-heading">Leaving</a> is
            at the end of the page.
          </p>
        ) : can.withdraw ? (
          <Form method="post" className="actions">
            <p style={{ margin: 0 }}>Your request to join is with the facilitators. We will email you their answer.</p>
            <input type="hidden" name="intent" value="leave" />
            <button type="submit" className="button secondary">
              Withdraw my request
            </button>
          </Form>
        ) : can.join === "join" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="join" />
            <button type="submit" className="button">
              Join {community.name}
            </button>
          </Form>
        ) : can.join === "ask" ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="join" />
            <TextArea
              id="join-message"
              name="message"
              label="A note for the facilitators (optional)"
              hint="For example your role and what you hope to get from the community."
              rows={3}
              maxLength={1000}
              error={errors.message}
            />
            <button type="submit" className="button">
              Ask to join
            </button>
          </Form>
        ) : null}
      </section>

      {limited ? (
        <p className="muted">
          This is a private community: what it shares is for its members. Once the facilitators approve your request you will see its events, members and
          discussion here.
        </p>
      ) : null}
      {limited ? null : (
        <>
          <section aria-labelledby="about-heading">
            <h2 id="about-heading">About</h2>
            <div className="prose" dangerouslySetInnerHTML={{ __html: community.aboutHtml }} />
            <h3>Facilitators</h3>
            {facilitators.length ? <p>{facilitators.map((f) => f.name).join(", ")}</p> : <p>No facilitators yet.</p>}
            <p>
              {can.seeMembers ? (
                <Link to={`/communities/${community.slug}/members`}>See the {memberCount} members</Link>
              ) : (
                <span className="muted">Only members can see who else belongs to this community.</span>
              )}
            </p>
          </section>

          {can.facilitate ? (
            <section aria-labelledby="facilitate-heading">
              <h2 id="facilitate-heading">For facilitators</h2>
              <h3>Requests to join</h3>
              {pending.length === 0 ? (
                <p>No requests are waiting.</p>
              ) : (
                <ul className="request-list">
                  {pending.map((p) => (
                    <li key={p.userId} className="panel">
                      <p>
                        <strong>{p.name}</strong> ({p.email}) asked <Time value={p.requestedAt} />
                      </p>
                      {p.message ? <blockquote>{p.message}</blockquote> : null}
                      <Form method="post" className="stack">
                        <input type="hidden" name="userId" value={p.userId} />
                        <TextArea
                          id={`reply-${p.userId}`}
                          name="message"
                          label={`Message to ${p.name} (optional)`}
                          rows={2}
                          maxLength={1000}
                          error={actionData?.values?.userId === p.userId ? errors.message : undefined}
                        />
                        <div className="actions">
                          <button type="submit" name="intent" value="approve" className="button">
                            Approve {p.name}
                          </button>
                          <button type="submit" name="intent" value="decline" className="button secondary">
                            Decline {p.name}
                          </button>
                        </div>
                      </Form>
                    </li>
                  ))}
                </ul>
              )}
              <h3>Invite someone</h3>
              <Form method="post" className="stack narrow" noValidate>
                <input type="hidden" name="intent" value="invite" />
                <Field
                  name="email"
                  label="Their email address"
                  type="email"
                  autoComplete="off"
                  error={errors.email}
                  hint="The emailed link lets them join at once, without approval."
                />
                <button type="submit" className="button secondary">
                  Send invitation
                </button>
              </Form>
            </section>
          ) : null}

          <section aria-labelledby="events-heading">
            <h2 id="events-heading">Upcoming events</h2>
            {community.visibility === "public" ? <SubscribeLinks feedUrl={feedUrl} name={community.name} label="Subscribe to this community's events" /> : null}
            {events.length ? (
              <ul>
                {events.map((e) => (
                  <li key={e.slug}>
                    <Link to={`/events/${e.slug}`}>{e.title}</Link> <span className="muted small">{formatEventTime(e.startsAt, e.endsAt, e.timeZone)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No upcoming events.</p>
            )}
          </section>
          {thread ? <Thread thread={thread} /> : null}
        </>
      )}
      {can.leave ? (
        <section aria-labelledby="leave-heading">
          <h2 id="leave-heading">Leave this community</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="leave" />
            <button type="submit" className="button secondary small">
              Leave {community.name}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
