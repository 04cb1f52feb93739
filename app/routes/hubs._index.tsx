import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Countdown } from "~/components/countdown";
import { Time } from "~/components/time";
import { listHubs } from "~/models/hubs.server";
import { readAt } from "~/utils/local-time";

export const meta: MetaFunction = () => [{ title: "Moment hubs · Convene" }];

export async function loader() {
  const now = new Date();
  const hubs = await listHubs(now);
  return {
    now: readAt(now),
    hubs: hubs.map((h) => ({
      slug: h.slug,
      title: h.title,
      momentName: h.momentName,
      momentAt: h.momentAt.toISOString(),
      summary: h.summary,
      stage: h.stage,
      taskCount: h.taskCount,
      openCount: h.openCount,
    })),
  };
}

const SECTIONS = [
  { stage: "active", title: "Active now", empty: "No hub is active at the moment." },
  { stage: "upcoming", title: "Coming up", empty: "No upcoming moments yet." },
  { stage: "past", title: "Past", empty: "No past hubs yet." },
] as const;

export default function Hubs() {
  const { hubs, now } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Moment hubs</h1>
      <p className="lede">
        Around a political moment, such as a Budget or election manifestos, organisations split the research between them: see which questions are taken, claim
        one, or join the team already on it.
      </p>
      {SECTIONS.map((s) => {
        const list = hubs.filter((h) => h.stage === s.stage);
        return (
          <section key={s.stage} aria-labelledby={`stage-${s.stage}`}>
            <h2 id={`stage-${s.stage}`}>{s.title}</h2>
            {list.length === 0 ? (
              <p className="muted">{s.empty}</p>
            ) : (
              <ul className="cards">
                {list.map((h) => (
                  <li key={h.slug}>
                    <h3>
                      <Link to={`/hubs/${h.slug}`}>{h.title}</Link>
                    </h3>
                    <p>
                      {h.momentName}: <Time value={h.momentAt} /> · <Countdown at={h.momentAt} serverNow={now} />
                    </p>
                    <p>{h.summary}</p>
                    <p className="muted">
                      {h.taskCount} research task{h.taskCount === 1 ? "" : "s"}, {h.openCount} unclaimed
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </>
  );
}
