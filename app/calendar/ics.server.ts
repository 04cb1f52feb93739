import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { DateTime } from "luxon";
import { markdownToText } from "../utils/markdown.server";
import type { Event } from "../../db/schema";

// The calendar module: one place that turns events into iCalendar (RFC 5545). Times are
// given as luxon DateTimes in the event's zone with a VTIMEZONE block (STACK.md gotcha 2).
// This is the minimal version the events issue needs (downloads and email attachments);
// feeds, series (RRULE) and add-to-calendar links come with the calendar issue.

export function eventUid(event: Pick<Event, "id">) {
  return `${event.id}@convene`;
}

export function eventsToIcs(
  events: Event[],
  opts: { appUrl: string; name: string; includeJoinUrl: boolean; method?: "PUBLISH" | "REQUEST" },
): string {
  const cal = ical({ name: opts.name, prodId: { company: "Convene", product: "convene", language: "EN" } });
  cal.method(opts.method === "REQUEST" ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.PUBLISH);
  const zones = new Set(events.map((e) => e.timeZone));
  if (zones.size === 1) cal.timezone({ name: [...zones][0], generator: getVtimezoneComponent });
  else cal.timezone({ name: "Europe/London", generator: getVtimezoneComponent });
  for (const e of events) {
    const url = `${opts.appUrl}/events/${e.slug}`;
    const description = [markdownToText(e.summary || e.description).slice(0, 2000), "", `Details: ${url}`, ...(opts.includeJoinUrl && e.joinUrl ? [`Join: ${e.joinUrl}`] : [])].join("\n");
    cal.createEvent({
      id: eventUid(e),
      sequence: e.sequence,
      start: DateTime.fromJSDate(e.startsAt, { zone: e.timeZone }),
      end: DateTime.fromJSDate(e.endsAt, { zone: e.timeZone }),
      timezone: e.timeZone,
      summary: e.title,
      description,
      location: e.venue ?? (opts.includeJoinUrl && e.joinUrl ? e.joinUrl : e.kind === "webinar" ? "Online" : null),
      url,
      stamp: new Date(),
      lastModified: e.updatedAt,
      status: e.state === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}
