import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

// Markdown from people (event descriptions, posts) is rendered with marked and then
// everything passes through sanitize-html with an allow-list: raw HTML in the source is
// allowed to reach the sanitiser, which keeps only harmless tags and http(s)/mailto links.
//
// marked recurses while lexing: 20,000 `>` (or 2,000 `> `, or 5,000 `- `, or 20,000 `*`)
// overflow the stack, and 500 levels of indented lists take seconds. So text is scanned
// first (cheap, linear): forms refuse what is too deep (`markdownProblem`), and anything
// stored before that rule is shown as plain text rather than rendered. Rendering never
// throws: one text that cannot be rendered can never take down a list, a page or a feed.
const marked = new Marked({ gfm: true, breaks: false, async: false });

/** How deep quotes and lists may nest on one line (a `>` or a list marker is one level each; two spaces of indentation another). */
export const MARKDOWN_MAX_DEPTH = 16;
/** Longest run of `*`, `_` or `~` (emphasis is parsed recursively). */
const MAX_DELIMITER_RUN = 32;
/** Deepest nesting of `[` (link text is parsed recursively). */
const MAX_BRACKET_DEPTH = 32;

/** Why this text cannot be rendered as Markdown, in words for the person who wrote it; null when it can. */
export function markdownProblem(source: string): string | null {
  let run = 0;
  let runChar = "";
  let brackets = 0;
  let depth = 0;
  let indent = 0;
  let inPrefix = true;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\n") {
      depth = 0;
      indent = 0;
      inPrefix = true;
      run = 0;
      continue;
    }
    if (inPrefix) {
      if (c === " ") indent++;
      else if (c === "\t") indent += 4;
      // Each marker opens a level; indentation counts from the last marker.
      else if (c === ">") {
        depth++;
        indent = 0;
      } else if ((c === "-" || c === "*" || c === "+") && (source[i + 1] === " " || source[i + 1] === "\t")) {
        depth++;
        indent = 0;
        i++;
      } else if (c >= "0" && c <= "9") {
        let j = i;
        while (j < source.length && j - i < 10 && source[j] >= "0" && source[j] <= "9") j++;
        if ((source[j] === "." || source[j] === ")") && (source[j + 1] === " " || source[j + 1] === "\t")) {
          depth++;
          indent = 0;
          i = j + 1;
        } else inPrefix = false;
      } else inPrefix = false;
      if (depth + Math.floor(indent / 2) > MARKDOWN_MAX_DEPTH) {
        return `Quotes and lists can be nested at most ${MARKDOWN_MAX_DEPTH} levels deep (indentation counts too). Please flatten this text.`;
      }
    }
    if (c === "*" || c === "_" || c === "~") {
      run = runChar === c ? run + 1 : 1;
      runChar = c;
      if (run > MAX_DELIMITER_RUN) return `Please use at most ${MAX_DELIMITER_RUN} ${c} characters in a row.`;
    } else {
      run = 0;
      runChar = "";
    }
    if (c === "[") {
      brackets++;
      if (brackets > MAX_BRACKET_DEPTH) return `Square brackets can be nested at most ${MAX_BRACKET_DEPTH} deep.`;
    } else if (c === "]" && brackets > 0) brackets--;
  }
  return null;
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel", "target"], th: ["align"], td: ["align"], ol: ["start"] },
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

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The text as paragraphs, unrendered: for what cannot be rendered as Markdown. */
function asPlainParagraphs(source: string): string {
  return source
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}

/** Sanitised HTML for Markdown from people. Never throws. */
export function renderMarkdown(source: string | null | undefined): string {
  const text = source ?? "";
  if (!text) return "";
  if (markdownProblem(text)) return asPlainParagraphs(text);
  let html: string;
  try {
    html = marked.parse(text) as string;
  } catch {
    return asPlainParagraphs(text);
  }
  return sanitizeHtml(html, SANITIZE);
}

/** Plain text from rendered HTML, for email bodies and calendar descriptions. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|h\d|li|blockquote|pre|tr)>/g, "\n").replace(/<br\s*\/?>/g, "\n"), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Plain text for email bodies and calendar descriptions. Never throws. */
export function markdownToText(source: string | null | undefined): string {
  return htmlToText(renderMarkdown(source));
}

/** Both forms, made once when a text is saved: pages use the HTML, feeds and emails the text. */
export function renderStored(source: string | null | undefined): { html: string; text: string } {
  const html = renderMarkdown(source);
  return { html, text: htmlToText(html) };
}
