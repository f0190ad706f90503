import { describe, expect, it } from "vitest";
import { renderMarkdown, safeImageSrc, safeLinkHref, sanitizeMarkdownHtml } from "./markdown.ts";

/**
 * Markdown and raw HTML that try to run script or load third-party content. Each must render inert: checked both by
 * invariants over every output (below) and by specific expectations.
 */
const XSS_CORPUS = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<img src=x onerror=alert(1)>",
  '<img src="x" ONERROR="alert(1)">',
  "<img src=x onerror=alert(1)//",
  "<body onload=alert(1)>",
  '<div onclick="alert(1)" onmouseover=alert(1)>hover</div>',
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<input type="text" onfocus=alert(1) autofocus>',
  '<input type="image" src=x onerror=alert(1)>',
  "<style>body{background:url(javascript:alert(1))}</style>",
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="width: expression(alert(1))">x</p>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="jav&#9;ascript:alert(1)">x</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="&#0000106avascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="//evil.example">x</a>',
  '<a href="/\\evil.example">x</a>',
  '<a href="https://ok.example" target="_blank" onclick="alert(1)">x</a>',
  "[x](javascript:alert(1))",
  "[x](JAVASCRIPT:alert(1))",
  "[x](jav&#x09;ascript:alert(1))",
  "[x](javascript&#58;alert(1))",
  "[x](<javascript:alert(1)>)",
  "[x][ref]\n\n[ref]: javascript:alert(1)",
  "<javascript:alert(1)>",
  "[x](data:text/html,<script>alert(1)</script>)",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![x](javascript:alert(1))",
  "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
  '![x](https://evil.example/pixel.png "t")',
  '<img src="//evil.example/pixel.png">',
  '<img alt="&lt;script&gt;alert(1)&lt;/script&gt;" src="https://evil.example/p.png">',
  "<base href='https://evil.example/'>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  "<details open ontoggle=alert(1)><summary>s</summary>d</details>",
  '<a id="location" name="cookie">clobber</a>',
  "<!--<img src=x onerror=alert(1)>-->",
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
];

/** Everything in an output that could execute or fetch, found by scanning the sanitized (well-formed) HTML. */
function hazards(html: string): string[] {
  const found: string[] = [];
  const tags = html.match(/<\s*([a-z0-9]+)/gi) ?? [];
  for (const t of tags) {
    const name = t.replace(/[<\s]/g, "").toLowerCase();
    if (["script", "style", "iframe", "object", "embed", "form", "svg", "math", "base", "meta", "link", "body"].includes(name))
      found.push(`tag ${name}`);
  }
  for (const m of html.matchAll(/\s([a-z-]+)\s*=\s*"([^"]*)"/gi)) {
    const [, attr, value] = m;
    const a = attr.toLowerCase();
    if (a.startsWith("on")) found.push(`handler ${a}`);
    if (["style", "id", "name", "target", "srcdoc", "action", "formaction"].includes(a)) found.push(`attribute ${a}`);
    if (a === "href" && safeLinkHref(decode(value)) === null) found.push(`href ${value}`);
    if (a === "src" && safeImageSrc(decode(value)) === null) found.push(`src ${value}`);
  }
  // Text mentioning javascript: is harmless; but never inside a tag.
  for (const m of html.matchAll(/<[^>]*>/g))
    if (/javascript:|vbscript:|data:text/i.test(decode(m[0]))) found.push(`in tag ${m[0]}`);
  return found;
}

function decode(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ":")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("markdown XSS corpus renders inert", () => {
  it.each(XSS_CORPUS)("%s", (input) => {
    const html = renderMarkdown(input);
    expect(hazards(html)).toEqual([]);
    // The same policy holds when the HTML does not come through marked.
    expect(hazards(sanitizeMarkdownHtml(input))).toEqual([]);
  });

  it("the hazard scanner itself catches the dangerous forms (so a pass means something)", () => {
    expect(hazards('<a href="javascript:alert(1)">x</a>')).not.toEqual([]);
    expect(hazards('<img src="x" onerror="alert(1)" />')).not.toEqual([]);
    expect(hazards('<a href="jav&#x09;ascript:alert(1)">x</a>')).not.toEqual([]);
    expect(hazards("<svg></svg>")).not.toEqual([]);
    expect(hazards('<p style="color:red">x</p>')).not.toEqual([]);
    expect(hazards('<img src="https://evil.example/p.png" />')).not.toEqual([]);
  });

  it("drops script content rather than showing it", () => {
    expect(renderMarkdown("<script>alert(1)</script>hello")).toBe("hello");
  });

  it("keeps link text when it drops a dangerous href, and marks every link", () => {
    expect(renderMarkdown("[click](javascript:alert(1))")).toBe('<p><a rel="noopener noreferrer nofollow">click</a></p>\n');
  });

  it("replaces a refused image by its alt text, escaped", () => {
    const html = renderMarkdown('<img alt="&lt;script&gt;alert(1)&lt;/script&gt;" src="https://evil.example/p.png">');
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;");
    expect(renderMarkdown("![chart](https://evil.example/c.png)")).toBe("<p><span>chart</span></p>\n");
  });

  it("keeps task-list checkboxes but never clickable, and drops other inputs", () => {
    expect(renderMarkdown("- [x] done")).toContain('<input checked disabled type="checkbox" />');
    expect(renderMarkdown('<input type="text" value="x">')).not.toContain("<input");
  });
});

describe("what stays", () => {
  it("renders common markdown", () => {
    const html = renderMarkdown(
      "# Title\n\nSome *em* and **strong**, `code`.\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```sql\nselect 1\n```\n\n> quote",
    );
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<em>em</em>");
    expect(html).toContain('<th align="left">a</th>');
    expect(html).toContain('<code class="language-sql">select 1');
    expect(html).toContain("<blockquote>");
  });

  it("keeps http, https, mailto and relative links with rel", () => {
    const html = renderMarkdown("[a](https://who.int) [b](http://x.org/p?q=1) [c](mailto:a@b.org) [d](/notebooks/3) [e](#top)");
    for (const href of ["https://who.int", "http://x.org/p?q=1", "mailto:a@b.org", "/notebooks/3", "#top"]) {
      expect(html).toContain(`<a href="${href}" rel="noopener noreferrer nofollow">`);
    }
  });

  it("keeps same-origin and raster data images", () => {
    expect(renderMarkdown("![a](/files/a.png)")).toContain('<img src="/files/a.png" alt="a" />');
    expect(renderMarkdown("![a](data:image/png;base64,iVBORw0KGgo=)")).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    const origin = "https://harmony.example.org";
    expect(renderMarkdown("![a](https://harmony.example.org/a.png)", { origin })).toContain("<img");
    expect(renderMarkdown("![a](https://harmony.example.org.evil.example/a.png)", { origin })).not.toContain("<img");
  });
});

describe("URL checks", () => {
  it.each([
    ["https://a.org", "https://a.org"],
    ["  https://a.org ", "https://a.org"],
    ["page.html", "page.html"],
    ["?q=1", "?q=1"],
    ["javascript:alert(1)", null],
    ["java\tscript:alert(1)", null],
    ["\u0001javascript:alert(1)", null],
    ["//evil.example", null],
    ["\\\\evil.example", null],
    ["data:text/html,x", null],
    ["", null],
  ])("link %j → %j", (input, expected) => {
    expect(safeLinkHref(input)).toBe(expected);
  });

  it.each([
    ["/a.png", "/a.png"],
    ["data:image/gif;base64,R0lGOD lhAQ==", "data:image/gif;base64,R0lGODlhAQ=="],
    ["data:image/svg+xml;base64,PHN2Zz4=", null],
    ["https://evil.example/a.png", null],
    ["javascript:alert(1)", null],
  ])("image %j → %j", (input, expected) => {
    expect(safeImageSrc(input)).toBe(expected);
  });
});
