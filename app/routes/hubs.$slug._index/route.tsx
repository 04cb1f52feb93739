import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SubscribeLinks } from "~/components/calendar";
import { Countdown } from "~/components/countdown";
import { formatEventTime } from "~/components/events";
import { FollowButton } from "~/components/follow";
import { FilterSelect } from "~/components/forms";
import { TaskCard } from "~/components/tasks";
import { Thread } from "~/components/thread";
import { Time } from "~/components/time";
import { BoardFiltersForm } from "~/forms/hubs.server";
import { isFollowing } from "~/models/follows.server";
import { getHubPage } from "~/models/hub-page.server";
import { storedHtml } from "~/models/rendered-text.server";
import { readAt } from "~/utils/local-time";
import { useBoardUpdates } from "./use-board-updates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.hub.title} · Moment hubs · Convene` : "Moment hub · Convene" }];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const parsed = BoardFiltersForm.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const f = parsed.success ? parsed.data : {};
  const filters = { tag: f.tag || undefined, org: f.org || undefined, status: f.status || undefined, unclaimed: f.unclaimed === "1", phase: f.phase };
  const now = new Date();
  const page = await getHubPage(params.slug ?? "", filters, context.auth.user, now);
  if (!page) throw new Response("Not found", { status: 404 });
  const { hub } = page;
  return {
    now: readAt(now),
    hub: {
      slug: hub.slug,
      title: hub.title,
      momentName: hub.momentName,
      momentAt: hub.momentAt.toISOString(),
      summary: hub.summary,
      descriptionHtml: storedHtml(hub.descriptionHtml, hub.description),
      stage: page.stage,
    },
    stewards: page.stewards,
    follow: context.auth.user ? { id: hub.id, following: await isFollowing(context.auth.user.id, "hub", hub.id) } : null,
    currentPhase: page.currentPhase,
    phases: page.phases,
    undated: page.undated,
    filters: { tag: filters.tag ?? "", org: filters.org ?? "", status: filters.status ?? "", unclaimed: filters.unclaimed, phase: filters.phase ?? "" },
    filtered: page.filtered,
    columns: page.columns,
    shownCount: page.shownCount,
    tags: page.tags,
    organisations: page.organisations,
    sources: page.sources,
    events: page.events.map((e) => ({
      slug: e.slug,
      title: e.title,
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      timeZone: e.timeZone,
    })),
    feedUrl: `${context.appUrl}/hubs/${hub.slug}/calendar.ics`,
    thread: page.thread!,
    can: page.can,
  };
}

export default function HubPage() {
  const d = useLoaderData<typeof loader>();
  const { hub } = d;
  const board = useBoardUpdates(hub.slug);
  // Dropped tasks are listed under the board (folded), so the working columns fit a laptop screen.
  const dropped = d.columns.find((c) => c.status === "dropped");
  return (
    <>
      <p>
        <Link to="/hubs">All moment hubs</Link>
      </p>
      <h1>{hub.title}</h1>
      <p className="moment">
        {hub.momentName}: <Time value={hub.momentAt} /> · <Countdown at={hub.momentAt} serverNow={d.now} />
      </p>
      <p className="lede">{hub.summary}</p>
      {d.follow ? <FollowButton kind="hub" id={d.follow.id} following={d.follow.following} name={hub.title} /> : null}
      {d.stewards.length ? <p className="muted">Stewarded by {d.stewards.map((s) => s.name).join(", ")}</p> : null}
      <details className="section-details">
        <summary>About this moment, and how to take part</summary>
        <div className="prose" dangerouslySetInnerHTML={{ __html: hub.descriptionHtml }} />
      </details>

      <section aria-labelledby="tracker-heading">
        <div className="board-live">
          <h2 id="tracker-heading">Research tracker</h2>
          {board.present !== null ? (
            <span className="muted small" data-testid="board-presence">
              {board.present} {board.present === 1 ? "person" : "people"} here
            </span>
          ) : null}
        </div>
        <p className="visually-hidden" aria-live="polite" aria-atomic="true">
          {board.news}
        </p>
        <div className="actions">
          {d.can.propose ? (
            <Link to={`/hubs/${hub.slug}/tasks/new`} className="button">
              Propose a research task
            </Link>
          ) : d.can.confirmFirst ? (
            <span className="muted">Confirm your email address to propose or claim tasks.</span>
          ) : (
            <span>
              <Link to={`/login?redirectTo=/hubs/${hub.slug}`}>Log in</Link> to propose or claim tasks.
            </span>
          )}
          <a href={`/hubs/${hub.slug}/tracker.csv`} download>
            Download the tracker (CSV)
          </a>
        </div>
        <nav aria-label="The moment's phases" className="phase-nav">
          <p className="muted small" style={{ margin: 0 }}>
            Show the tasks due
          </p>
          <ul>
            <li>
              <Link to={`/hubs/${hub.slug}`} aria-current={!d.filters.phase ? "page" : undefined} preventScrollReset>
                At any time
              </Link>
            </li>
            {d.phases.map((p) => (
              <li key={p.phase}>
                <Link to={`/hubs/${hub.slug}?phase=${p.phase}`} aria-current={d.filters.phase === p.phase ? "page" : undefined} preventScrollReset>
                  {p.label} ({p.count}){p.phase === d.currentPhase ? <span className="badge">Now</span> : null}
                </Link>
              </li>
            ))}
          </ul>
          {d.undated ? (
            <p className="muted small" style={{ margin: 0 }}>
              {d.undated} task{d.undated === 1 ? " has" : "s have"} no due date yet.
            </p>
          ) : null}
        </nav>

        <details className="panel filter-panel" open={d.filtered && !d.filters.phase ? true : undefined}>
          <summary>Filter the tracker</summary>
          <Form method="get" aria-label="Filter the tracker" preventScrollReset>
            {d.filters.phase ? <input type="hidden" name="phase" value={d.filters.phase} /> : null}
            <div className="filters">
              <FilterSelect name="tag" label="Tag" value={d.filters.tag} options={d.tags.map((t) => [t, t] as const)} />
              <FilterSelect name="org" label="Organisation" value={d.filters.org} options={d.organisations.map((o) => [o.slug, o.name] as const)} />
              <FilterSelect name="status" label="Status" value={d.filters.status} options={d.columns.map((c) => [c.status, c.label] as const)} />
              <div className="field">
                <label>
                  <input type="checkbox" name="unclaimed" value="1" defaultChecked={d.filters.unclaimed} /> Unclaimed only
                </label>
              </div>
            </div>
            <div className="actions" style={{ marginTop: "0.75rem" }}>
              <button type="submit" className="button secondary">
                Filter
              </button>
              {d.filtered ? <Link to={`/hubs/${hub.slug}`}>Show every task</Link> : null}
            </div>
          </Form>
        </details>
        <p role="status">
          {d.shownCount} task{d.shownCount === 1 ? "" : "s"}
          {d.filtered ? " match the filters" : ""}
          <span className="board-cue" aria-hidden="true">
            {" "}
            · the board scrolls sideways →
          </span>
        </p>
        {/* It scrolls sideways on narrow screens: focusable, so a keyboard can scroll it even when no column holds a task. */}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
        <section className="board" id="board" tabIndex={0} aria-label="Task board, by status">
          {d.columns
            .filter((c) => c.status !== "dropped" || d.filters.status === "dropped")
            .map((c) => (
              <section key={c.status} className="board-column" aria-labelledby={`col-${c.status}`}>
                <h3 id={`col-${c.status}`}>
                  {c.label} ({c.tasks.length})
                </h3>
                <ul>
                  {c.tasks.map((t) => (
                    <li key={t.id}>
                      <TaskCard task={t} hubSlug={hub.slug} headingLevel={4} compact />
                    </li>
                  ))}
                </ul>
              </section>
            ))}
        </section>
        {dropped?.tasks.length && d.filters.status !== "dropped" ? (
          <details className="section-details">
            <summary>Dropped ({dropped.tasks.length})</summary>
            <ul>
              {dropped.tasks.map((t) => (
                <li key={t.id}>
                  <Link to={`/hubs/${hub.slug}/tasks/${t.id}`}>{t.title}</Link>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <details className="section-details">
        <summary>
          <h2 id="orgs-heading">Who is working on what</h2>
          <span className="muted small">
            {d.organisations.length} organisation{d.organisations.length === 1 ? "" : "s"}
          </span>
        </summary>
        {d.organisations.length === 0 ? (
          <p className="muted">No organisation has claimed or joined a task, or registered for the hub's events, yet.</p>
        ) : (
          <ul className="cards">
            {d.organisations.map((o) => (
              <li key={o.slug}>
                <h3>
                  <Link to={`/directory/${o.slug}`}>{o.name}</Link>
                </h3>
                {o.tasks.length === 0 ? <p className="muted small">Taking part in the hub's events.</p> : null}
                <ul>
                  {o.tasks.map((t) => (
                    <li key={t.id}>
                      <Link to={`/hubs/${hub.slug}/tasks/${t.id}`}>{t.title}</Link>{" "}
                      <span className="muted small">({t.role === "lead" ? "leads" : "helps"})</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </details>
      <details className="section-details">
        <summary>
          <h2 id="hub-sources-heading">Data its tasks draw on</h2>
          <span className="muted small">
            {d.sources.length} source{d.sources.length === 1 ? "" : "s"} from the catalogue
          </span>
        </summary>
        {d.sources.length === 0 ? <p className="muted">No task here has linked a source from the data catalogue yet.</p> : null}
        <ul>
          {d.sources.map((s) => (
            <li key={s.slug}>
              <Link to={`/data/${s.slug}`}>{s.name}</Link>{" "}
              <span className="muted small">
                ({s.tasks} task{s.tasks === 1 ? "" : "s"})
              </span>
            </li>
          ))}
        </ul>
        <p>
          <Link to={`/data/gaps?hub=${hub.slug}`}>Data gaps raised at this hub</Link>
        </p>
      </details>
      <div className="hub-lower">
        <section aria-labelledby="events-heading">
          <h2 id="events-heading">Events</h2>
          <SubscribeLinks feedUrl={d.feedUrl} name={hub.title} label="Subscribe to this hub's events and the moment itself" />
          {d.events.length ? (
            <ul>
              {d.events.map((e) => (
                <li key={e.slug}>
                  <Link to={`/events/${e.slug}`}>{e.title}</Link> <span className="muted small">{formatEventTime(e.startsAt, e.endsAt, e.timeZone)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No upcoming events for this moment.</p>
          )}
        </section>
        <Thread thread={d.thread} />
      </div>
    </>
  );
}
