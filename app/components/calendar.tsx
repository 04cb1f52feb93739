import { googleCalendarUrl, googleSubscribeUrl, outlookCalendarUrl, outlookSubscribeUrl, webcalUrl } from "~/calendar/links";

// "Add to calendar" for one event, and "Subscribe" for a feed. Links open the calendar
// services in a new tab; the .ics download works with every calendar program.

type EventLink = { title: string; summary?: string; startsAt: string; endsAt: string; venue: string | null; url: string; icsPath: string; icsUrl: string };

export function AddToCalendar({ event }: { event: EventLink }) {
  return (
    <details className="calendar-links">
      <summary>Add to calendar</summary>
      <ul>
        <li>
          <a href={googleCalendarUrl(event)} target="_blank" rel="noopener noreferrer">
            Google Calendar
          </a>
        </li>
        <li>
          <a href={outlookCalendarUrl(event, "live")} target="_blank" rel="noopener noreferrer">
            Outlook.com
          </a>
        </li>
        <li>
          <a href={outlookCalendarUrl(event, "office")} target="_blank" rel="noopener noreferrer">
            Outlook (Microsoft 365)
          </a>
        </li>
        <li>
          <a href={event.icsPath} download>
            Download .ics (Apple Calendar, Outlook desktop, others)
          </a>
        </li>
        <li>
          <a href={webcalUrl(event.icsUrl)}>Subscribe in your calendar app (it follows any change of time or place)</a>
        </li>
      </ul>
    </details>
  );
}

/** Subscribe links for a feed at `feedUrl` (absolute). */
export function SubscribeLinks({ feedUrl, name, label = "Subscribe to this calendar" }: { feedUrl: string; name: string; label?: string }) {
  return (
    <details className="calendar-links">
      <summary>{label}</summary>
      <ul>
        <li>
          <a href={googleSubscribeUrl(feedUrl)} target="_blank" rel="noopener noreferrer">
            Google Calendar
          </a>
        </li>
        <li>
          <a href={outlookSubscribeUrl(feedUrl, name, "live")} target="_blank" rel="noopener noreferrer">
            Outlook.com
          </a>
        </li>
        <li>
          <a href={outlookSubscribeUrl(feedUrl, name, "office")} target="_blank" rel="noopener noreferrer">
            Outlook (Microsoft 365)
          </a>
        </li>
        <li>
          <a href={webcalUrl(feedUrl)}>Apple Calendar or Outlook desktop (webcal)</a>
        </li>
        <li>
          <a href={feedUrl} download>
            Download .ics
          </a>
        </li>
      </ul>
    </details>
  );
}
