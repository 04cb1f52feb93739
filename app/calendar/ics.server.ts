import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import ical, { type ICalCalendar, ICalCalendarMethod, type ICalEventData, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import type { Event } from "../../db/schema";
import { storedText } from "../models/rendered-text.server";
import { env } from "../utils/env.server";
import { repeatedTime } from "../utils/local-time";

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
  /** An emailed invitation's own SEQUENCE (a registration's, never below the event's). */
  sequence?: number;
};

/** A whole series, for grouping: its rule and where the rule put every occurrence. */
export type SeriesInfo = {
  rrule: string;
  originals: Date[];
  /** The sum of every occurrence's SEQUENCE (each only rises), so the series' rises with any change to any of them, whichever occurrences a feed carries. */
  sequence?: number;
};

/** A date without a time: a political moment, a task's due date. */
export type AllDayItem = { uid: string; date: string; summary: string; description: string; url: string; lastModified: Date };

export type CalendarInput = {
  name: string;
  appUrl: string;
  events: CalendarEvent[];
  series?: Map<string, SeriesInfo>;
  allDay?: AllDayItem[];
  method?: Method;
  /** The person an emailed invitation (REQUEST or CANCEL) is addressed to. */
  attendee?: { name: string; email: string };
};

export type Method = "PUBLISH" | "REQUEST" | "CANCEL";

export const eventUid = (event: Pick<Event, "id">) => `${event.id}@convene`;
export const seriesUid = (seriesId: string) => `series-${seriesId}@convene`;

/** ORGANIZER's address: a mailbox on the sending domain (CALENDAR_ORGANIZER, else MAIL_FROM's). */
export const organiserAddress = () => env().CALENDAR_ORGANIZER ?? (/<([^>]+)>/.exec(env().MAIL_FROM)?.[1] ?? env().MAIL_FROM).trim();

/** An address as a mailto: URI (RFC 6068): anything but the plainest characters percent-encoded. */
export const mailto = (address: string) => `mailto:${address.replace(/[^A-Za-z0-9@._+-]/g, (c) => encodeURIComponent(c))}`;

/**
 * Is this instant's local time one that happens twice (the night the clocks go back)?
 * RFC 5545 §3.3.5 reads a repeated local time as its first occurrence, but readers differ
 * (ical.js and node-ical take the second): such an instant is written in UTC, which every
 * reader takes as written.
 */
export const isRepeatedTime = (d: Date, zone: string) => repeatedTime(d, zone) !== null;

// Turning Markdown into plain text is the costly part of a large feed: remember it per
// version of the row.
const textCache = new Map<string, string>();
function plainText(e: Event): string {
  const key = `${e.id}:${+e.updatedAt}`;
  let text = textCache.get(key);
  if (text === undefined) {
    // The summary is plain text, shown as typed (`2*3*4 = 24` stays so); only the
    // description is Markdown, and its stored plain-text rendering is used.
    text = (e.summary ? e.summary : storedText(e.descriptionText, e.description)).slice(0, 2000);
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
  const inUtc = isRepeatedTime(e.startsAt, e.timeZone) || isRepeatedTime(e.endsAt, e.timeZone);
  return {
    id: eventUid(e),
    sequence: item.sequence ?? e.sequence,
    start: inUtc ? zoned(e.startsAt, "utc") : zoned(e.startsAt, e.timeZone),
    end: inUtc ? zoned(e.endsAt, "utc") : zoned(e.endsAt, e.timeZone),
    timezone: inUtc ? null : e.timeZone,
    summary: noControls(e.title),
    description: noControls(description),
    // An online event's place is its page (a joining link only where the reader may have it).
    location: noControls(e.venue ?? (join ? join : e.joinUrl || e.kind === "webinar" ? url : "")) || null,
    url,

    stamp: stamp ?? e.updatedAt,
    lastModified: e.updatedAt,
    status: e.state === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
}

/** Where an occurrence happens, for comparing occurrences of a series. */
const placeOf = (item: CalendarEvent) => item.event.venue ?? (item.includeJoinUrl && item.event.joinUrl ? item.event.joinUrl : "online");

type Rule = { freq: "WEEKLY" | "MONTHLY"; interval: number; count: number };

function parseRule(rrule: string): Rule | null {
  const parts = Object.fromEntries(
    rrule
      .replace(/^RRULE:/, "")
      .split(";")
      .map((p) => p.split("=") as [string, string]),
  );
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
  // A rule expands in local time, which cannot say which of a repeated hour is meant: such
  // a series is written occurrence by occurrence instead.
  if (originals.some((d) => isRepeatedTime(d, zone) || isRepeatedTime(new Date(+d + duration), zone))) return false;
  const heldStarts = new Set(held.map((i) => +i.event.originalStartsAt!));
  const base = eventData(template, appUrl, stamp);
  // Rises with every change to any occurrence (each occurrence's own counter only rises).
  const sequence = info.sequence ?? byOrder.reduce((n, i) => n + i.event.sequence, 0);
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
      ...(held.length && originals.some((d) => !heldStarts.has(+d))
        ? { exclude: originals.filter((d) => !heldStarts.has(+d)).map((d) => zoned(d, zone)) }
        : {}),
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
      // Online occurrences name their own page as the place: the same place for this purpose.
      placeOf(item) !== placeOf(template);
    if (differs) cal.createEvent({ ...data, id: seriesUid(seriesId), recurrenceId: zoned(e.originalStartsAt!, zone) });
    // The others share the template's text; their own page is one link away from it.
  }
  return true;
}

export function buildCalendar(input: CalendarInput): string {
  // The calendar's name comes from a title: a line break in it would start a new line.
  const name = input.name.replace(/[\r\n\u0000-\u001f\u007f]+/g, " ").trim();
  // The name is written below, escaped as the TEXT it is (ical-generator leaves ; and , bare).
  const cal = ical({ prodId: { company: "Convene", product: "convene", language: "EN" } });
  const emailed = input.method === "REQUEST" || input.method === "CANCEL";
  cal.method(input.method === "REQUEST" ? ICalCalendarMethod.REQUEST : input.method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH);
  // An emailed invitation is stamped now; a feed with its rows' last change.
  const stamp = emailed ? new Date() : null;
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
  for (const item of single) {
    const data = eventData(item, input.appUrl, stamp);
    // A cancellation says so in the item too (RFC 5546 §3.2.5).
    cal.createEvent(input.method === "CANCEL" ? { ...data, status: ICalEventStatus.CANCELLED } : data);
  }
  for (const d of input.allDay ?? []) {
    const day = DateTime.fromISO(d.date, { zone: "UTC" });
    cal.createEvent({
      id: d.uid,
      allDay: true,
      start: day,
      // An explicit end (the next day), which some readers need to show a whole day.
      end: day.plus({ days: 1 }),
      summary: noControls(d.summary),
      description: noControls(d.description),
      url: d.url,
      stamp: stamp ?? d.lastModified,
      lastModified: d.lastModified,
      transparency: "TRANSPARENT" as never,
    });
  }
  // ical-generator folds the finished text with a new TextEncoder per character (about
  // 0.15 ms an event); each event's own text is unfolded, so we fold those ourselves.
  // ORGANIZER is written here, not by ical-generator, which escapes a quote in CN with a
  // backslash (RFC 5545 has none in parameter values; RFC 6868's ^' carries a quote).
  const organisers = new Map<string, string>();
  for (const item of input.events) organisers.set(eventUid(item.event), item.organiser || "Convene");
  for (const [sid, items] of groups) organisers.set(seriesUid(sid), items[0]?.organiser || "Convene");
  // An emailed invitation names its recipient as ATTENDEE (RFC 5546 §3.2.2, §3.2.5): already
  // accepted (they registered), no reply wanted (Convene takes none by email).
  const attendeeLine =
    emailed && input.attendee
      ? `ATTENDEE;CN=${paramValue(input.attendee.name)};ROLE=REQ-PARTICIPANT${input.method === "CANCEL" ? "" : ";PARTSTAT=ACCEPTED"};RSVP=FALSE:${mailto(input.attendee.email)}\r\n`
      : "";
  const vevents = cal
    .events()
    .map((e) => {
      const organiserLine = `ORGANIZER;CN=${paramValue(organisers.get(e.id()) ?? "Convene")}:${mailto(organiserAddress())}`;
      return foldLines(e.toString().replace(/END:VEVENT(\r\n)?$/, `${organiserLine}\r\n${attendeeLine}END:VEVENT\r\n`));
    })
    .join("");
  cal.clear();
  const head = cal.toString();
  const zoneBlocks = zones
    .map((z) => getVtimezoneComponent(z))
    .filter(Boolean)
    .map((b) => b!.replace(/\r?\n/g, "\r\n").replace(/(\r\n)?$/, "\r\n"))
    .join("");
  // Subscribed calendars: look again within the hour (RFC 7986; Outlook reads the X- one).
  const refresh = emailed ? "" : "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n";
  // Every line of an iCalendar object ends in CRLF, the last one too (RFC 5545 §3.1).
  const names = name ? `${foldLines(`NAME:${textValue(name)}\r\nX-WR-CALNAME:${textValue(name)}`)}\r\n` : "";
  return head.replace(/END:VCALENDAR(\r\n)?$/, `${names}${refresh}${zoneBlocks}${vevents}END:VCALENDAR\r\n`);
}

/** TEXT may hold no control character but tab and line breaks (RFC 5545 §3.3.11): the rest go. */
const noControls = (value: string) => value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line breaks as \\n. */
export function textValue(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

/**
 * A parameter value (RFC 5545 §3.2 with RFC 6868): `^` as `^^`, a line break as `^n`, a
 * double quote as `^'`; quoted when it holds `:`, `;` or `,`. Control characters go.
 */
export function paramValue(value: string): string {
  const v = value
    .replace(/\^/g, "^^")
    .replace(/\r\n|\r|\n/g, "^n")
    .replace(/"/g, "^'")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
  return /[:;,]/.test(v) ? `"${v}"` : v;
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
  opts: {
    appUrl: string;
    name: string;
    includeJoinUrl: boolean;
    method?: Method;
    organiser?: string | null;
    attendee?: { name: string; email: string };
    sequence?: number;
  },
): string {
  return buildCalendar({
    name: opts.name,
    appUrl: opts.appUrl,
    method: opts.method,
    attendee: opts.attendee,
    events: events.map((event) => ({ event, includeJoinUrl: opts.includeJoinUrl, organiser: opts.organiser, sequence: opts.sequence })),
  });
}
