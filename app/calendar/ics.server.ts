import ical, { ICalCalendarMethod, ICalEventStatus, type ICalCalendar, type ICalEventData } from "ical-generator";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { DateTime } from "luxon";
import { markdownToText } from "../utils/markdown.server";
import { storedText } from "../models/rendered-text.server";
import { env } from "../utils/env.server";
import type { Event } from "../../db/schema";

// The calendar module: the one place that turns Convene's events into iCalendar
// (RFC 5545), for downloads, feeds and email attachments alike.
// - Times are luxon DateTimes in the event's own zone, with a VTIMEZONE block per zone
//   (STACK.md gotcha 2), so 18:00 in London stays 18:00 on both sides of a clock change.
// - UID is stable per event (per series for a series), SEQUENCE is the event's counter,
//   bumped by every change a calendar must pick up; DTSTAMP and LAST-MODIFIED are the
//   row's last change, so an unchanged feed is byte-for-byte the same (and its ETag too).
// - Descriptions are plain text; a joining link is written only when the caller says the
//   reader holds a confirmed place.
// - A series is one VEVENT with RRULE, EXDATE for occurrences that are cancelled (or, in
//   a private feed, not held) and RECURRENCE-ID overrides for occurrences that differ.

export type CalendarEvent = {
  event: Event;
  /** Shown as ORGANIZER's name (the address is Convene's own, never a person's). */
  organiser?: string | null;
  includeJoinUrl: boolean;
};

/** A whole series, for grouping: its rule and where the rule put every occurrence. */
export type SeriesInfo = { rrule: string; originals: Date[] };

/** A date without a time: a political moment, a task's due date. */
export type AllDayItem = { uid: string; date: string; summary: string; description: string; url: string; lastModified: Date };

export type CalendarInput = {
  name: string;
  appUrl: string;
  events: CalendarEvent[];
  series?: Map<string, SeriesInfo>;
  allDay?: AllDayItem[];
  method?: "PUBLISH" | "REQUEST";
};

export const eventUid = (event: Pick<Event, "id">) => `${event.id}@convene`;
export const seriesUid = (seriesId: string) => `series-${seriesId}@convene`;

const organiserAddress = () => /<([^>]+)>/.exec(env().MAIL_FROM)?.[1] ?? env().MAIL_FROM;

// Turning Markdown into plain text is the costly part of a large feed: remember it per
// version of the row.
const textCache = new Map<string, string>();
function plainText(e: Event): string {
  const key = `${e.id}:${+e.updatedAt}`;
  let text = textCache.get(key);
  if (text === undefined) {
    text = (e.summary ? markdownToText(e.summary) : storedText(e.descriptionText, e.description)).slice(0, 2000);
    if (textCache.size > 20_000) textCache.clear();
    textCache.set(key, text);
  }
  return text;
}

const zoned = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone });

function eventData(item: CalendarEvent, appUrl: string, stamp: Date | null): ICalEventData {
  const e = item.event;
  const url = `${appUrl}/events/${e.slug}`;
  const join = item.includeJoinUrl && e.joinUrl ? e.joinUrl : null;
  const description = [plainText(e), "", `Details: ${url}`, ...(join ? [`Join: ${join}`] : [])].join("\n").trim();
  return {
    id: eventUid(e),
    sequence: e.sequence,
    start: zoned(e.startsAt, e.timeZone),
    end: zoned(e.endsAt, e.timeZone),
    timezone: e.timeZone,
    summary: e.title,
    description,
    location: e.venue ?? (join ? join : e.kind === "webinar" ? "Online" : null),
    url,
    organizer: { name: item.organiser || "Convene", email: organiserAddress() },
    stamp: stamp ?? e.updatedAt,
    lastModified: e.updatedAt,
    status: e.state === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
}

type Rule = { freq: "WEEKLY" | "MONTHLY"; interval: number; count: number };

function parseRule(rrule: string): Rule | null {
  const parts = Object.fromEntries(rrule.replace(/^RRULE:/, "").split(";").map((p) => p.split("=") as [string, string]));
  const freq = parts.FREQ;
  const interval = Number(parts.INTERVAL ?? 1);
  const count = Number(parts.COUNT);
  if ((freq !== "WEEKLY" && freq !== "MONTHLY") || !Number.isInteger(interval) || interval < 1 || !Number.isInteger(count) || count < 1) return null;
  if (Object.keys(parts).some((k) => !["FREQ", "INTERVAL", "COUNT"].includes(k))) return null;
  return { freq, interval, count };
}

/** Does the rule, expanded in `zone`, give exactly these starts? (A monthly rule from the 31st would not.) */
function ruleMatches(rule: Rule, originals: Date[], zone: string): boolean {
  if (originals.length !== rule.count) return false;
  const first = zoned(originals[0], zone);
  if (rule.freq === "MONTHLY" && first.day > 28) return false;
  return originals.every((d, k) => +first.plus(rule.freq === "WEEKLY" ? { weeks: k * rule.interval } : { months: k * rule.interval }).toJSDate() === +d);
}

function addSeries(cal: ICalCalendar, seriesId: string, info: SeriesInfo, items: CalendarEvent[], appUrl: string, stamp: Date | null): boolean {
  const rule = parseRule(info.rrule);
  const byOrder = [...items].sort((a, b) => +a.event.originalStartsAt! - +b.event.originalStartsAt!);
  const zone = byOrder[0].event.timeZone;
  const originals = [...info.originals].sort((a, b) => +a - +b);
  if (!rule || !ruleMatches(rule, originals, zone) || byOrder.some((i) => i.event.timeZone !== zone)) return false;

  const held = byOrder.filter((i) => i.event.state !== "cancelled");
  const template = held[0] ?? byOrder[0];
  const duration = +template.event.endsAt - +template.event.startsAt;
  const heldStarts = new Set(held.map((i) => +i.event.originalStartsAt!));
  const base = eventData(template, appUrl, stamp);
  const sequence = Math.max(...byOrder.map((i) => i.event.sequence));
  const lastModified = new Date(Math.max(...byOrder.map((i) => +i.event.updatedAt)));
  cal.createEvent({
    ...base,
    id: seriesUid(seriesId),
    start: zoned(originals[0], zone),
    end: zoned(new Date(+originals[0] + duration), zone),
    sequence,
    lastModified,
    stamp: stamp ?? lastModified,
    status: held.length ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
    repeating: {
      freq: rule.freq as never,
      interval: rule.interval,
      count: rule.count,
      ...(held.length && originals.some((d) => !heldStarts.has(+d)) ? { exclude: originals.filter((d) => !heldStarts.has(+d)).map((d) => zoned(d, zone)) } : {}),
    },
  });
  // Occurrences that differ from what the rule and the template say: their own VEVENT.
  for (const item of held) {
    const e = item.event;
    const data = eventData(item, appUrl, stamp);
    const differs =
      +e.startsAt !== +e.originalStartsAt! ||
      +e.endsAt - +e.startsAt !== duration ||
      data.summary !== base.summary ||
      plainText(e) !== plainText(template.event) ||
      (item.includeJoinUrl ? e.joinUrl : null) !== (template.includeJoinUrl ? template.event.joinUrl : null) ||
      JSON.stringify(data.location) !== JSON.stringify(base.location);
    if (differs) cal.createEvent({ ...data, id: seriesUid(seriesId), recurrenceId: zoned(e.originalStartsAt!, zone) });
    // The others share the template's text; their own page is one link away from it.
  }
  return true;
}

export function buildCalendar(input: CalendarInput): string {
  const cal = ical({ name: input.name, prodId: { company: "Convene", product: "convene", language: "EN" } });
  cal.method(input.method === "REQUEST" ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.PUBLISH);
  // A REQUEST (an email invitation) is stamped now; a feed with its rows' last change.
  const stamp = input.method === "REQUEST" ? new Date() : null;
  // No calendar-wide zone: ical-generator would then write DTSTAMP and LAST-MODIFIED as
  // local times, where RFC 5545 wants UTC. Each event names its zone (TZID) and the
  // VTIMEZONE blocks are added below.
  const zones = [...new Set(input.events.map((i) => i.event.timeZone))];

  const groups = new Map<string, CalendarEvent[]>();
  const single: CalendarEvent[] = [];
  for (const item of input.events) {
    const sid = item.event.seriesId;
    if (sid && item.event.originalStartsAt && input.series?.has(sid)) groups.set(sid, [...(groups.get(sid) ?? []), item]);
    else single.push(item);
  }
  for (const [sid, items] of groups) {
    if (!addSeries(cal, sid, input.series!.get(sid)!, items, input.appUrl, stamp)) single.push(...items);
  }
  for (const item of single) cal.createEvent(eventData(item, input.appUrl, stamp));
  for (const d of input.allDay ?? []) {
    cal.createEvent({
      id: d.uid,
      allDay: true,
      start: DateTime.fromISO(d.date, { zone: "UTC" }),
      summary: d.summary,
      description: d.description,
      url: d.url,
      stamp: stamp ?? d.lastModified,
      lastModified: d.lastModified,
      transparency: "TRANSPARENT" as never,
    });
  }
  // ical-generator folds the finished text with a new TextEncoder per character (about
  // 0.15 ms an event); each event's own text is unfolded, so we fold those ourselves.
  const vevents = cal.events().map((e) => foldLines(e.toString())).join("");
  cal.clear();
  const head = cal.toString();
  const zoneBlocks = zones.map((z) => getVtimezoneComponent(z)).filter(Boolean).map((b) => b!.replace(/\r?\n/g, "\r\n").replace(/(\r\n)?$/, "\r\n")).join("");
  return head.replace(/END:VCALENDAR$/, `${zoneBlocks}${vevents}END:VCALENDAR`);
}

/** RFC 5545 §3.1: lines longer than 75 octets are folded, never inside a UTF-8 character. */
export function foldLines(text: string): string {
  return text
    .split("\r\n")
    .map((line) => {
      if (line.length <= 74 && !/[^\x00-\x7f]/.test(line)) return line;
      let out = "";
      let octets = 0;
      for (const ch of line) {
        const cp = ch.codePointAt(0)!;
        const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        octets += size;
        if (octets > 74) {
          out += "\r\n ";
          octets = size;
        }
        out += ch;
      }
      return out;
    })
    .join("\r\n");
}

/** One or a few events, standalone (downloads, email attachments). */
export function eventsToIcs(
  events: Event[],
  opts: { appUrl: string; name: string; includeJoinUrl: boolean; method?: "PUBLISH" | "REQUEST"; organiser?: string | null },
): string {
  return buildCalendar({
    name: opts.name,
    appUrl: opts.appUrl,
    method: opts.method,
    events: events.map((event) => ({ event, includeJoinUrl: opts.includeJoinUrl, organiser: opts.organiser })),
  });
}
