import { describe, expect, it } from "vitest";
import { markdownToText, renderMarkdown } from "../../app/utils/markdown.server";

describe("markdown", () => {
  it("renders ordinary Markdown", () => {
    const html = renderMarkdown("# Title\n\nSome **bold** text and a [link](https://example.org).\n\n- one\n- two");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer" target="_blank">link</a>');
    expect(html).toContain("<li>one</li>");
    expect(html).toContain("<h3>Title</h3>");
  });

  const hostile = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))" onclick="alert(1)">x</div>',
    "<svg><script>alert(1)</script></svg>",
    '<p onmouseover="alert(1)">hover</p>',
    '![x](https://evil.example/x.png" onerror="alert(1))',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=a></form>',
    "<<script>script>alert(1)<</script>/script>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
  ];

  it.each(hostile)("hostile input comes out inert: %s", (src) => {
    const html = renderMarkdown(src);
    expect(html).not.toMatch(/<script|<iframe|<img|<svg|<style|<form|<input/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
    expect(html).not.toMatch(/<[^>]*\sstyle\s*=/i);
  });

  it("plain text for emails and calendars has no markup", () => {
    const text = markdownToText("Hello **there** & <b>you</b>\n\n<script>x()</script>[site](https://example.org)");
    expect(text).not.toMatch(/[<>*]/);
    expect(text).toContain("Hello there & you");
  });
});
