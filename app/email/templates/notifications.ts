import type { NewsKind } from "../../models/notification-kinds";
import { NEWS_KIND_INFO } from "../../models/notification-kinds";
import { escapeHtml, htmlShell, layout, type RenderedEmail } from "./layout";

// News mail: one notification at once, or a summary of many. Each carries a line saying
// why it came and how to stop it (and List-Unsubscribe headers, added by the sender).

const whyFooter = (kind: NewsKind | "summary", settingsUrl: string, unsubscribeUrl: string) =>
  kind === "summary"
    ? `You get this summary because you follow these on Convene. Choose what you get: ${settingsUrl} · Stop these summaries: ${unsubscribeUrl}`
    : `You get this because of your choice for “${NEWS_KIND_INFO[kind].label}”. Choose what you get: ${settingsUrl} · Stop these emails: ${unsubscribeUrl}`;

export const notificationMessage = (p: {
  name: string;
  kind: NewsKind;
  text: string;
  space: string;
  url: string;
  settingsUrl: string;
  unsubscribeUrl: string;
}) =>
  layout({
    subject: p.text.length > 90 ? `${p.text.slice(0, 88)}…` : p.text,
    greeting: `Hello ${p.name},`,
    paragraphs: [`${p.text} (${p.space})`],
    action: { label: "Open it on Convene", url: p.url },
    footer: whyFooter(p.kind, p.settingsUrl, p.unsubscribeUrl),
  });

export type DigestSection = { heading: string; items: { text: string; url: string; changes: number }[] };

const SPACE_HEADINGS = { event: "Events", hub: "Moment hubs", community: "Communities", organisation: "Organisations", convene: "On Convene" } as const;
export const spaceHeading = (kind: keyof typeof SPACE_HEADINGS, title: string) => `${SPACE_HEADINGS[kind]}: ${title}`;

/** A daily or weekly summary: sections by space (events first, then hubs, then communities), each item a link. */
export function digestMessage(p: {
  name: string;
  cadence: "daily" | "weekly";
  sections: DigestSection[];
  notificationsUrl: string;
  settingsUrl: string;
  unsubscribeUrl: string;
}): RenderedEmail {
  const count = p.sections.reduce((n, s) => n + s.items.length, 0);
  const subject = `Your ${p.cadence} Convene summary: ${count} ${count === 1 ? "update" : "updates"}`;
  const more = (n: number) => (n > 1 ? ` (${n} changes)` : "");
  const footer = whyFooter("summary", p.settingsUrl, p.unsubscribeUrl);
  const text = [
    `Hello ${p.name},`,
    "",
    `Here is what happened in what you follow since your last summary.`,
    "",
    ...p.sections.flatMap((s) => [s.heading, ...s.items.map((i) => `- ${i.text}${more(i.changes)}: ${i.url}`), ""]),
    `Everything, and what you have read: ${p.notificationsUrl}`,
    "",
    footer,
  ].join("\n");
  const html = htmlShell(
    `<p>${escapeHtml(`Hello ${p.name},`)}</p>
<p>Here is what happened in what you follow since your last summary.</p>
${p.sections
  .map(
    (s) =>
      `<h2 style="font-size:18px;margin:1.2rem 0 .4rem">${escapeHtml(s.heading)}</h2>\n<ul>${s.items
        .map((i) => `<li><a href="${escapeHtml(i.url)}">${escapeHtml(i.text)}</a>${escapeHtml(more(i.changes))}</li>`)
        .join("")}</ul>`,
  )
  .join("\n")}
<p><a href="${escapeHtml(p.notificationsUrl)}">See all your notifications</a></p>`,
    footer,
  );
  return { subject, text, html };
}
