import { DateTime } from "luxon";
import { repeatedWords } from "../../utils/local-time";
import { layout } from "./layout";

type EventInfo = { title: string; startsAt: Date; endsAt: Date; timeZone: string; venue: string | null; joinUrl: string | null; url: string };

// Each event's time is worded once, not once per registrant (a burst of 500 registrations
// spent 4 % of its time in Luxon's formatting): bounded, as times repeat.
const worded = new Map<string, string>();

/** "Tuesday 15 December 2026, 10:00 to 11:30 (UK time)", in the event's own zone. */
export function describeWhen(e: Pick<EventInfo, "startsAt" | "endsAt" | "timeZone">) {
  const key = `${+e.startsAt}|${+e.endsAt}|${e.timeZone}`;
  let text = worded.get(key);
  if (text === undefined) {
    if (worded.size >= 2000) worded.clear();
    text = wordWhen(e);
    worded.set(key, text);
  }
  return text;
}

function wordWhen(e: Pick<EventInfo, "startsAt" | "endsAt" | "timeZone">) {
  const s = DateTime.fromJSDate(e.startsAt, { zone: e.timeZone });
  const end = DateTime.fromJSDate(e.endsAt, { zone: e.timeZone });
  const zone = e.timeZone === "Europe/London" ? "UK time" : e.timeZone.replace(/_/g, " ");
  const sameDay = s.toISODate() === end.toISODate();
  // On the night the clocks go back, 01:30 happens twice: say which.
  const from = `${s.toFormat("cccc d LLLL yyyy, HH:mm")}${repeatedWords(e.startsAt, e.timeZone)}`;
  const to = `${end.toFormat(sameDay ? "HH:mm" : "cccc d LLLL yyyy, HH:mm")}${repeatedWords(e.endsAt, e.timeZone)}`;
  return `${from} to ${to} (${zone})`;
}

const where = (e: EventInfo, withLink: boolean) =>
  e.venue
    ? `Where: ${e.venue}`
    : withLink && e.joinUrl
      ? `Join online: ${e.joinUrl}`
      : "Online: the joining link is on the event page once your place is confirmed.";

export const registrationConfirmedMessage = (p: { name: string; event: EventInfo }) =>
  layout({
    subject: `Your place is confirmed: ${p.event.title}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `Your place at ${p.event.title} is confirmed.`,
      `When: ${describeWhen(p.event)}`,
      where(p.event, true),
      "The invitation attached (invite.ics) adds it to your calendar; if anything changes we will send you another that updates it. If you can no longer come, please cancel your place on the event page so someone on the waitlist can have it.",
    ],
    action: { label: "See the event", url: p.event.url },
  });

export const waitlistedMessage = (p: { name: string; event: EventInfo; position: number }) =>
  layout({
    subject: `You are on the waitlist: ${p.event.title}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.event.title} is full, so you are on the waitlist (number ${p.position}).`,
      "If a place frees up it goes to the next person on the list automatically, and we will email you straight away.",
      `When: ${describeWhen(p.event)}`,
    ],
    action: { label: "See the event", url: p.event.url },
  });

export const promotedMessage = (p: { name: string; event: EventInfo }) =>
  layout({
    subject: `A place has opened up for you: ${p.event.title}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `Good news: a place at ${p.event.title} has become free, and it is yours. Your place is confirmed.`,
      `When: ${describeWhen(p.event)}`,
      where(p.event, true),
      "The invitation attached (invite.ics) adds it to your calendar.",
    ],
    action: { label: "See the event", url: p.event.url },
  });

export const eventChangedMessage = (p: { name: string; event: EventInfo; confirmed: boolean; changes: string[]; withInvitation?: boolean }) =>
  layout({
    subject: `Changed: ${p.event.title}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `The organisers have changed ${p.event.title}: ${p.changes.join(", ")}.`,
      `When: ${describeWhen(p.event)}`,
      where(p.event, p.confirmed),
      ...(p.withInvitation ? ["The updated invitation attached (invite.ics) changes it in your calendar."] : []),
    ],
    action: { label: "See the event", url: p.event.url },
  });

export const eventCancelledMessage = (p: { name: string; event: EventInfo; withInvitation?: boolean }) =>
  layout({
    subject: `Cancelled: ${p.event.title}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `We are sorry: ${p.event.title}, planned for ${describeWhen(p.event)}, has been cancelled by its organisers.`,
      ...(p.withInvitation ? ["The file attached (cancelled.ics) takes it out of your calendar."] : []),
    ],
    action: { label: "Find other events", url: p.event.url.replace(/\/events\/.*$/, "/events") },
  });

export const placeCancelledMessage = (p: { name: string; event: EventInfo }) =>
  layout({
    subject: `Your place is cancelled: ${p.event.title}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `You have cancelled your place at ${p.event.title} (${describeWhen(p.event)}). Thank you for letting someone else have it.`,
      "The file attached (cancelled.ics) takes it out of your calendar. If you change your mind, register again on the event page while places are open.",
    ],
    action: { label: "See the event", url: p.event.url },
  });

export const reminderMessage = (p: { name: string; event: EventInfo; kind: "24h" | "1h" }) =>
  layout({
    subject: `${p.kind === "24h" ? "Coming up" : "Starting soon"}: ${p.event.title}`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `A reminder that ${p.event.title} starts ${p.kind === "24h" ? "within a day" : "within the hour"}.`,
      `When: ${describeWhen(p.event)}`,
      where(p.event, true),
    ],
    action: { label: "See the event", url: p.event.url },
  });

export const organiserMessage = (p: { name: string; event: EventInfo; from: string; subject: string; body: string }) =>
  layout({
    subject: `${p.subject} (${p.event.title})`,
    greeting: `Hello ${p.name},`,
    paragraphs: [`A message from ${p.from}, organising ${p.event.title}:`, ...p.body.split(/\n{2,}/)],
    action: { label: "See the event", url: p.event.url },
  });

/** A day before a full event with a waitlist: keep the place, or let it go at once. */
export const stillComingMessage = (p: { name: string; event: EventInfo; waiting: number; keepUrl: string; releaseUrl: string }) =>
  layout({
    subject: `Still coming to ${p.event.title}?`,
    greeting: `Hello ${p.name},`,
    paragraphs: [
      `${p.event.title} is ${describeWhen(p.event)}. It is full, and ${p.waiting} ${p.waiting === 1 ? "person is" : "people are"} waiting for a place.`,
      "Will you still come? If you can't, letting your place go now gives it straight away to the next person waiting. Either link opens a page with one button: nothing changes until you press it.",
    ],
    choices: [
      { label: "Yes, keep my place", url: p.keepUrl },
      { label: "No, give my place to someone waiting", url: p.releaseUrl },
    ],
  });
