import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SubscribeLinks } from "~/components/calendar";
import { EventCard, KIND_LABELS, SeriesDates } from "~/components/events";
import { FilterSelect } from "~/components/forms";
import { EventFiltersForm } from "~/forms/events.server";
import { getEventsPage } from "~/models/events-page.server";

export const meta: MetaFunction = () => [{ title: "Events and webinars · Convene" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = EventFiltersForm.safeParse(params);
  const f = parsed.success ? parsed.data : {};
  const d = await getEventsPage({ when: f.when, kind: f.kind, community: f.community || undefined, hub: f.hub || undefined, page: f.page }, context.auth.user);
  return {
    ...d,
    feedUrl: `${context.appUrl}/calendar.ics`,
    filters: { when: f.when ?? "upcoming", kind: f.kind ?? "", community: f.community ?? "", hub: f.hub ?? "" },
  };
}

export default function Events() {
  const d = useLoaderData<typeof loader>();
  const qs = (page: number) => {
    const p = new URLSearchParams(Object.entries(d.filters).filter(([, v]) => v) as [string, string][]);
    p.set("page", String(page));
    return `?${p.toString()}`;
  };
  return (
    <>
      <h1>Events and webinars</h1>
      <p className="lede">Webinars, workshops and in-person meetings run by organisations across the sector.</p>
      <SubscribeLinks feedUrl={d.feedUrl} name="Convene events" label="Subscribe to every public event" />
      <p className="actions view-toggle">
        <Link to="/events" aria-current={d.filters.when === "upcoming" ? "page" : undefined}>
          Upcoming
        </Link>
        <Link to="/events?when=past" aria-current={d.filters.when === "past" ? "page" : undefined}>
          Past events
        </Link>
        {d.canCreate ? (
          <Link to="/events/new" className="button secondary small">
            Create an event
          </Link>
        ) : null}
      </p>
      <details className="panel filter-panel" open={d.filters.kind || d.filters.community || d.filters.hub ? true : undefined}>
        <summary>Filter events</summary>
        <Form method="get" aria-label="Filter events">
          <input type="hidden" name="when" value={d.filters.when} />
          <div className="filters">
            <FilterSelect name="kind" label="Kind" value={d.filters.kind} options={Object.entries(KIND_LABELS)} />
            <FilterSelect name="community" label="Community" value={d.filters.community} options={d.communities.map((c) => [c.slug, c.name] as const)} />
            <FilterSelect name="hub" label="Moment hub" value={d.filters.hub} options={d.hubs.map((h) => [h.slug, h.title] as const)} />
          </div>
          <div className="actions" style={{ marginTop: "0.75rem" }}>
            <button type="submit" className="button secondary">
              Filter
            </button>
          </div>
        </Form>
      </details>
      {d.events.length === 0 ? (
        <p>No {d.filters.when === "past" ? "past" : "upcoming"} events match.</p>
      ) : (
        <ul className="cards">
          {d.events.map((e) => (
            <li key={e.slug}>
              <EventCard e={e} context={e.context} />
              <SeriesDates dates={e.otherDates} />
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="Pages" className="actions">
        {d.page > 1 ? <Link to={qs(d.page - 1)}>Previous page</Link> : null}
        {d.hasMore ? <Link to={qs(d.page + 1)}>Next page</Link> : null}
      </nav>
    </>
  );
}
