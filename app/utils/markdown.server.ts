import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

// Markdown from people (event descriptions, posts) is rendered with marked and then
// everything passes through sanitize-html with an allow-list: raw HTML in the source is
// allowed to reach the sanitiser, which keeps only harmless tags and http(s)/mailto links.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
    "ul", "ol", "li", "strong", "em", "del", "a", "table", "thead", "tbody", "tr", "th", "td",
  ],
  allowedAttributes: { a: ["href", "title"], th: ["align"], td: ["align"], ol: ["start"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "nofollow noopener noreferrer", target: "_blank" },
    }),
    // Headings inside user content must not compete with the page's own outline.
    h1: "h3",
    h2: "h3",
  },
  allowedClasses: {},
};
SANITIZE.allowedAttributes = { ...SANITIZE.allowedAttributes, a: ["href", "title", "rel", "target"] };

export function renderMarkdown(source: string): string {
  const html = marked.parse(source ?? "") as string;
  return sanitizeHtml(html, SANITIZE);
}

/** Plain text for email bodies and calendar descriptions. */
export function markdownToText(source: string): string {
  const html = renderMarkdown(source);
  return sanitizeHtml(html.replace(/<\/(p|h\d|li|blockquote|pre|tr)>/g, "\n").replace(/<br\s*\/?>/g, "\n"), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
