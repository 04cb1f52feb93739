import { DateTime } from "luxon";

// Local times on the nights the clocks change: the one place that decides what a date and
// time typed by a person means in a time zone, and says so in words.
// - Spring forward (last Sunday of March in the UK): 01:00–01:59 does not exist.
// - Fall back (last Sunday of October): 01:00–01:59 happens twice, first in BST, then GMT.

export type Repeated = "first" | "second";

/** Which of a repeated local time this instant is, or null when its local time happens once. */
export function repeatedTime(d: Date, zone: string): Repeated | null {
  const dt = DateTime.fromJSDate(d, { zone });
  const offsets = dt.getPossibleOffsets();
  if (offsets.length < 2) return null;
  // Clocks go back to a smaller offset: the later instant has the smaller one.
  return dt.offset === Math.min(...offsets.map((o) => o.offset)) ? "second" : "first";
}

export type LocalTime =
  | { ok: true; at: Date }
  | { ok: false; problem: "invalid"; message: string }
  | { ok: false; problem: "missing"; message: string }
  | { ok: false; problem: "twice"; message: string; first: Date; second: Date };

const hhmm = (time: string) => time.slice(0, 5);
const dayWords = (dt: DateTime) => dt.setLocale("en-GB").toFormat("cccc d LLLL yyyy");

/**
 * A date and time as typed (`2026-10-25`, `01:30`) in a zone. A time that does not exist
 * that night is refused; one that happens twice needs `which` ("first" or "second").
 */
export function resolveLocalTime(date: string, time: string, zone: string, which?: Repeated | null): LocalTime {
  const dt = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!dt.isValid) return { ok: false, problem: "invalid", message: "That date or time does not exist" };
  // luxon moves a time that does not exist forward by the gap: it then reads differently.
  if (dt.toFormat("yyyy-MM-dd'T'HH:mm") !== `${date}T${hhmm(time)}`) {
    return {
      ok: false,
      problem: "missing",
      message: `There is no ${hhmm(time)} on ${dayWords(dt)} here: the clocks go forward that night. Choose a time before or after the change.`,
    };
  }
  const offsets = dt.getPossibleOffsets();
  if (offsets.length < 2) return { ok: true, at: dt.toJSDate() };
  const [first, second] = [...offsets].sort((a, b) => +a.toJSDate() - +b.toJSDate()).map((o) => o.toJSDate());
  if (which === "first") return { ok: true, at: first };
  if (which === "second") return { ok: true, at: second };
  return {
    ok: false,
    problem: "twice",
    message: `${hhmm(time)} happens twice on ${dayWords(dt)}, because the clocks go back that night. Say whether you mean the first ${hhmm(time)} or the second.`,
    first,
    second,
  };
}

/** Words for a repeated time, after the time itself ("01:30, the second time"), or "". */
export function repeatedWords(d: Date, zone: string): string {
  const r = repeatedTime(d, zone);
  return r === "first" ? " (the first time, before the clocks go back)" : r === "second" ? " (the second time, after the clocks go back)" : "";
}

/**
 * The moment a page was read, to the minute: what its countdowns start from. Pages show
 * time to the minute, and two readings within the same minute give the same data, so
 * one rendering serves both (app/utils/render-cache.server.ts).
 */
export const readAt = (d: Date) => new Date(d.getTime() - (d.getTime() % 60_000)).toISOString();
