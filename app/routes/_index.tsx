import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Countdown } from "~/components/countdown";
import { formatEventTime } from "~/components/events";
import { fmtDate, StatusBadge } from "~/components/tasks";
import { getHomePage } from "~/models/home-page.server";
import { readAt } from "~/utils/local-time";

export const meta: MetaFunction = () => [{ title: "Convene: convening on poverty and inequality" }];

// Home answers "what's next for me": signed in, your next events, the live moment hubs,
// your tasks and what is coming up in your communities; signed out, what Convene is, what
// is coming up and how to join.

export async function loader({ context }: LoaderFunctionArgs) {
  const now = new Date();
  const page = await getHomePage(context.auth.user, now);
  const event = (e: { slug: string; title: string; startsAt: Date; endsAt: Date; timeZone: string }) => ({
    slug: e.slug,
    title: e.title,
    when: formatEventTime(e.startsAt.toISOString(), e.endsAt.toISOString(), e.timeZone),
  });
  return {
    now: readAt(now),
    name: context.auth.user?.name ?? null,
    liveHubs: page.liveHubs.map((h) => ({
      slug: h.slug,
      title: h.title,
      momentName: h.momentName,
      momentAt: h.momentAt.toISOString(),
      openCount: h.openCount,
    })),
    upcoming: page.upcoming.filter((r) => r.event.state !== "cancelled").map((r) => event(r.event)),
    mine: page.signedIn
      ? {
          events: page.myEvents.map((e) => ({ ...event(e), status: e.status, waitlistNumber: e.waitlistNumber })),
          tasks: page.myTasks.map((t) => ({ id: t.id, title: t.title, status: t.status, hubSlug: t.hubSlug, role: t.role, dueDate: t.dueDate })),
          communityEvents: page.communityEvents.map((e) => ({ ...event(e), community: e.community, communitySlug: e.communitySlug })),
        }
      : null,
  };
}

function LiveHubs({ hubs, now }: { hubs: { slug: string; title: string; momentName: string; momentAt: string; openCount: number }[]; now: string }) {
  return (
    <section aria-labelledby="hubs-heading">
      <h2 id="hubs-heading">Moment hubs now</h2>
      {hubs.length === 0 ? (
        <p className="muted">No political moment is being prepared for just now.</p>
      ) : (
        <ul className="cards">
          {hubs.map((h) => (
            <li key={h.slug}>
              <h3>
                <Link to={`/hubs/${h.slug}`}>{h.title}</Link>
              </h3>
              <p className="small">
                {h.momentName}: <Countdown at={h.momentAt} serverNow={now} />
              </p>
              <p className="small">
                {h.openCount ? (
                  <Link to={`/hubs/${h.slug}?unclaimed=1`}>
                    {h.openCount} task{h.openCount === 1 ? "" : "s"} nobody has claimed yet
                  </Link>
                ) : (
                  "Every task has someone on it."
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EventList({ events, empty }: { events: { slug: string; title: string; when: string; note?: string }[]; empty: React.ReactNode }) {
  if (!events.length) return <p className="muted">{empty}</p>;
  return (
    <ul className="plain-list">
      {events.map((e) => (
        <li key={e.slug}>
          <Link to={`/events/${e.slug}`}>{e.title}</Link>
          <br />
          <span className="muted small">
            {e.when}
            {e.note ? ` · ${e.note}` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}

export default function Index() {
  const d = useLoaderData<typeof loader>();
  if (!d.mine) {
    return (
      <>
        <h1>Work together on poverty and inequality</h1>
        <p className="lede">
          Convene is where charities, think tanks, advice services, universities, councils, funders and lived-experience groups working on poverty in the UK
          meet. Register for webinars and workshops, and join communities of practice. Around a Budget or an election, split up the research so that nobody
          duplicates anybody else's work.
        </p>
        <p className="actions">
          <Link className="button" to="/signup">
            Create an account
          </Link>
          <Link className="button secondary" to="/login">
            Log in
          </Link>
        </p>
        <div className="two-columns">
          <section aria-labelledby="upcoming-heading">
            <h2 id="upcoming-heading">Coming up</h2>
            <EventList events={d.upcoming} empty="No events are planned just now." />
            <p>
              <Link to="/events">Every event</Link>
            </p>
          </section>
          <LiveHubs hubs={d.liveHubs} now={d.now} />
        </div>
      </>
    );
  }
  const { mine } = d;
  return (
    <>
      <h1>Welcome back, {d.name}</h1>
      <div className="two-columns">
        <section aria-labelledby="my-events-heading">
          <h2 id="my-events-heading">Your next events</h2>
          <EventList
            events={mine.events.map((e) => ({
              ...e,
              note: e.status === "confirmed" ? "your place is confirmed" : `you are number ${e.waitlistNumber} on the waitlist`,
            }))}
            empty={
              <>
                You have no events coming up. <Link to="/events">Find an event</Link>
              </>
            }
          />
        </section>
        <section aria-labelledby="my-tasks-heading">
          <h2 id="my-tasks-heading">Your research tasks</h2>
          {mine.tasks.length === 0 ? (
            <p className="muted">You are not working on a task. Claim one, or join a team, on a moment hub.</p>
          ) : (
            <ul className="plain-list">
              {mine.tasks.map((t) => (
                <li key={t.id}>
                  <Link to={`/hubs/${t.hubSlug}/tasks/${t.id}`}>{t.title}</Link> <StatusBadge status={t.status} />
                  <br />
                  <span className="muted small">
                    {t.role === "lead" ? "You lead it" : "You help with it"}
                    {t.dueDate ? ` · due ${fmtDate(t.dueDate)}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <LiveHubs hubs={d.liveHubs} now={d.now} />
      <div className="two-columns">
        <section aria-labelledby="community-events-heading">
          <h2 id="community-events-heading">Coming up in your communities</h2>
          <EventList
            events={mine.communityEvents.map((e) => ({ ...e, note: e.community }))}
            empty={
              <>
                Nothing planned in your communities. <Link to="/communities">Find a community</Link>
              </>
            }
          />
        </section>
        <section aria-labelledby="upcoming-heading">
          <h2 id="upcoming-heading">Coming up on Convene</h2>
          <EventList events={d.upcoming} empty="No events are planned just now." />
        </section>
      </div>
    </>
  );
}
