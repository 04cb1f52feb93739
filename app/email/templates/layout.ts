export type RenderedEmail = { subject: string; text: string; html: string };

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const FOOTER = "Convene: convening for research on poverty and inequality.";

/** The HTML every mail is wrapped in: readable type, one column, the footer small and grey. */
export const htmlShell = (body: string, footer: string = FOOTER) =>
  `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1b1b1b;max-width:36rem;margin:auto;padding:1rem">
${body}
<p style="font-size:14px;color:#555">${escapeHtml(footer)}</p>
</body></html>`;

/** A link that looks like a button (mail clients ignore stylesheets). */
const button = (label: string, url: string) =>
  `<p><a href="${escapeHtml(url)}" style="display:inline-block;background:#1d4f6e;color:#fff;padding:.6rem 1rem;border-radius:4px;text-decoration:none">${escapeHtml(label)}</a></p>`;

/**
 * A plain, readable email: paragraphs and at most one button. Every template gives the
 * text version the same words, for screen readers and text-only clients.
 */
export function layout(opts: {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Several choices (each its own link), instead of one action. */
  choices?: { label: string; url: string }[];
  footer?: string;
}): RenderedEmail {
  const { subject, greeting, paragraphs, action, choices, footer } = opts;
  const text = [
    greeting,
    "",
    ...paragraphs.flatMap((p) => [p, ""]),
    ...(action ? [`${action.label}: ${action.url}`, ""] : []),
    ...(choices ?? []).flatMap((c) => [`${c.label}: ${c.url}`, ""]),
    footer ?? FOOTER,
  ].join("\n");
  const html = htmlShell(
    `<p>${escapeHtml(greeting)}</p>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
${action ? `${button(action.label, action.url)}<p style="font-size:14px">Or paste this address into your browser: ${escapeHtml(action.url)}</p>` : ""}
${(choices ?? []).map((c) => button(c.label, c.url)).join("\n")}`,
    footer,
  );
  return { subject, text, html };
}
