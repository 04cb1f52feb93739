import { Link } from "@remix-run/react";

export const KIND_LABELS: Record<string, string> = { webinar: "Webinar", workshop: "Workshop", meeting: "In-person meeting" };
export const ACCESS_LABELS: Record<string, string> = {
  live_captions: "Live captions",
  bsl_interpreter: "BSL interpreter",
  step_free: "Step-free access",
  hearing_loop: "Hearing loop",
  quiet_room: "Quiet room",
  other: "Other",
};
export const TIME_ZONES = ["Europe/London", "Europe/Dublin", "Europe/Brussels", "Europe/Paris", "Europe/Berlin", "America/New_York", "UTC"];

// Building an Intl.DateTimeFormat is costly; listings format many dates in few zones.
const formatters = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat; zoneName: Intl.DateTimeFormat }>();
function formattersFor(zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: zone }),
      time: new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone }),
      zoneName: new Intl.DateTimeFormat("en-GB", { timeZoneName: "short", timeZone: zone }),
    };
    formatters.set(zone, f);
  }
  return f;
}

// Listings show the same events to everyone: each time is formatted once (a bounded memo).
const formatted = new Map<string, string>();

/** "Tue 15 Dec 2026, 10:00–11:30 UK time", in the event's zone. */
export function formatEventTime(startsAt: string, endsAt: string, zone: string, withZone = true) {
  const key = `${startsAt}|${endsAt}|${zone}|${withZone}`;
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= 5000) formatted.clear();
    text = formatEventTimeNow(startsAt, endsAt, zone, withZone);
    formatted.set(key, text);
  }
  return text;
}

function formatEventTimeNow(startsAt: string, endsAt: string, zone: string, withZone: boolean) {
  const { day, time: clock, zoneName } = formattersFor(zone);
  // On the night the clocks go back a local time happens twice: then say which ("01:30 GMT").
  const stamp = (d: Date) => `${day.format(d)} ${clock.format(d)}`;
  const time = {
    format: (d: Date) =>
      stamp(d) === stamp(new Date(+d - 3_600_000)) || stamp(d) === stamp(new Date(+d + 3_600_000))
        ? `${clock.format(d)} ${zoneName.formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? ""}`.trim()
        : clock.format(d),
  };
  const s = new Date(startsAt);
  const e = new Date(endsAt);
  const sameDay = day.format(s) === day.format(e);
  const label = withZone ? ` ${zone === "Europe/London" ? "UK time" : zone.replace(/_/g, " ")}` : "";
  return sameDay
    ? `${day.format(s)}, ${time.format(s)}–${time.format(e)}${label}`
    : `${day.format(s)} ${time.format(s)} – ${day.format(e)} ${time.format(e)}${label}`;
}

type CardEvent = {
  slug: string;
  title: string;
  kind: string;
  summary: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  state: string;
  seatsLeft: number | null;
};

export function EventCard({ e, context }: { e: CardEvent; context?: string | null }) {
  return (
    <article>
      <h3>
        <Link to={`/events/${e.slug}`}>{e.title}</Link>
      </h3>
      <p>
        <span className="badge">{KIND_LABELS[e.kind] ?? e.kind}</span>
        {e.state === "cancelled" ? <span className="badge cancelled">Cancelled</span> : null}
        {e.state !== "cancelled" && e.seatsLeft === 0 ? <span className="badge full">Full: waitlist open</span> : null}
      </p>
      <p>{formatEventTime(e.startsAt, e.endsAt, e.timeZone)}</p>
      {e.summary ? <p className="muted">{e.summary}</p> : null}
      {context ? <p className="muted small">{context}</p> : null}
    </article>
  );
}

/** Shown when an event would overlap another in its hub or community; the button submits again, confirmed. */
export function ClashWarning({ clashes, confirmLabel }: { clashes: { title: string; slug: string }[]; confirmLabel: string }) {
  if (!clashes.length) return null;
  return (
    <div className="suggestions" role="alert">
      <p>It overlaps:</p>
      <ul>
        {clashes.map((c) => (
          <li key={c.slug}>
            <Link to={`/events/${c.slug}`}>{c.title}</Link>
          </li>
        ))}
      </ul>
      <button type="submit" name="confirmClash" value="1" className="button secondary">
        {confirmLabel}
      </button>
    </div>
  );
}

/** A series' other dates, folded: each a link to its own event page. */
export function SeriesDates({ dates }: { dates: { slug: string; startsAt: string; endsAt: string; timeZone: string; state: string }[] }) {
  if (!dates.length) return null;
  return (
    <details className="series-dates">
      <summary>
        {dates.length} more date{dates.length === 1 ? "" : "s"} in this series
      </summary>
      <ul>
        {dates.map((o) => (
          <li key={o.slug}>
            <Link to={`/events/${o.slug}`}>{formatEventTime(o.startsAt, o.endsAt, o.timeZone)}</Link>
            {o.state === "cancelled" ? <span className="badge cancelled badge-after">Cancelled</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
