// Add-to-calendar and subscribe links (safe for the browser bundle: no server imports).
// Links carry only public details: never a joining link.

type LinkEvent = { title: string; summary?: string; startsAt: Date | string; endsAt: Date | string; venue?: string | null; url: string };

const utcStamp = (d: Date | string) =>
  new Date(d)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
const isoUtc = (d: Date | string) => new Date(d).toISOString().replace(/\.\d{3}/, "");
const details = (e: LinkEvent) => [e.summary, `Details: ${e.url}`].filter(Boolean).join("\n\n");

export function googleCalendarUrl(e: LinkEvent) {
  const q = new URLSearchParams({
    action: "TEMPLATE",
    text: e.title,
    dates: `${utcStamp(e.startsAt)}/${utcStamp(e.endsAt)}`,
    details: details(e),
    location: e.venue ?? e.url,
  });
  return `https://calendar.google.com/calendar/render?${q}`;
}

/** Outlook on the web: `live` for personal Outlook.com accounts, `office` for Microsoft 365 work accounts. */
export function outlookCalendarUrl(e: LinkEvent, kind: "live" | "office") {
  const host = kind === "live" ? "https://outlook.live.com" : "https://outlook.office.com";
  const q = new URLSearchParams({
    path: "/calendar/action/compose",
    rru: "addevent",
    subject: e.title,
    startdt: isoUtc(e.startsAt),
    enddt: isoUtc(e.endsAt),
    body: details(e),
    location: e.venue ?? e.url,
  });
  return `${host}/calendar/0/deeplink/compose?${q}`;
}

/** webcal:// makes Apple Calendar and desktop Outlook offer to subscribe. */
export const webcalUrl = (feedUrl: string) => feedUrl.replace(/^https?:\/\//, "webcal://");

export const googleSubscribeUrl = (feedUrl: string) => `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcalUrl(feedUrl))}`;

export function outlookSubscribeUrl(feedUrl: string, name: string, kind: "live" | "office") {
  const host = kind === "live" ? "https://outlook.live.com" : "https://outlook.office.com";
  return `${host}/calendar/0/addfromweb?${new URLSearchParams({ url: feedUrl, name })}`;
}
