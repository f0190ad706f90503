/**
 * Markdown cells → safe HTML. Notebook content is shared between users, so every markdown cell is untrusted input (DESIGN.md,
 * decision 7). marked renders (raw HTML in markdown passes through it), then sanitize-html keeps only an allowlist. Both are
 * pure JavaScript, so the same function renders on the server (reports, first paint) and in the browser.
 *
 * Policy (decided here; the page's CSP — `img-src 'self' data: blob:`, no inline scripts — is a second fence, not the first):
 * - Tags: text structure only (headings, paragraphs, lists, quotes, code, tables, emphasis, links, images, details). No
 *   script/style/iframe/object/embed/form/svg/math/base/meta; the content of script-like tags is dropped, not shown.
 * - Attributes: a short list per tag; never `style`, never `on*` handlers, never `id`/`name` (no DOM clobbering of the page).
 * - Links: http, https, mailto, or relative (`/x`, `x`, `#x`, `?x`); protocol-relative `//host` and `/\host` are refused.
 *   Every link gets rel="noopener noreferrer nofollow". A refused href is removed; the link text stays.
 * - Images: same origin only — relative URLs, or absolute URLs whose origin equals `options.origin` — or inline
 *   `data:image/{png,jpeg,gif,webp,avif}`. Third-party images are refused because they leak every reader's IP address and
 *   reading time to whoever wrote the cell (a tracking pixel), and the CSP would block them anyway. SVG data URLs are refused
 *   too (inert in <img>, but not worth the doubt). A refused image is replaced by its alt text.
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

export interface MarkdownOptions {
  /** The page's origin (`https://harmony.example.org`), to accept absolute image URLs on it. Relative URLs need none. */
  origin?: string;
}

// One instance with our own settings, so another module configuring the global `marked` cannot change this output.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = [
  "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp",
  "em", "strong", "b", "i", "del", "s", "ins", "mark", "sub", "sup", "small", "abbr",
  "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "input",
  "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "details", "summary", "span",
]; // biome-ignore format: one list of tags reads better packed

/** Tags whose content must vanish with them (a `<script>`'s text shown as text would still be noise). */
const DROP_WITH_CONTENT = [
  "script",
  "style",
  "textarea",
  "option",
  "noscript",
  "template",
  "title",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
  "object",
  "embed",
  "svg",
  "math",
];

const SAFE_DATA_IMAGE = /^data:image\/(png|jpeg|jpg|gif|webp|avif);base64,[a-z0-9+/=\s]+$/i;

/**
 * Browsers ignore ASCII tab/newline anywhere in a URL and strip leading/trailing C0 controls and spaces, so
 * "jav\tascript:" is "javascript:". Normalize the same way before looking at the scheme. Entities (`&#x09;`) are already
 * decoded by the HTML parser when this runs.
 */
function normalizeUrl(url: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return url.replace(/[\u0000-\u001f\u007f]/g, "").replace(/^[\s\u00a0\u2000-\u200b\u2028\u2029\u3000\ufeff]+|\s+$/g, "");
}

function schemeOf(url: string): string | null {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return m ? m[1].toLowerCase() : null;
}

/** `//evil.example` and `/\evil.example` both leave the origin in browsers. */
function isProtocolRelative(url: string): boolean {
  return /^[\\/][\\/]/.test(url);
}

/** The href to keep for a link, or `null` to drop it. */
export function safeLinkHref(href: string): string | null {
  const url = normalizeUrl(href);
  if (url === "" || isProtocolRelative(url)) return null;
  const scheme = schemeOf(url);
  if (scheme === null) return /^[^:]*(?:[/?#]|$)/.test(url) ? url : null; // relative; a colon before any / ? # is a scheme
  return scheme === "http" || scheme === "https" || scheme === "mailto" ? url : null;
}

/** The src to keep for an image, or `null` to drop the image. */
export function safeImageSrc(src: string, origin?: string): string | null {
  const url = normalizeUrl(src);
  if (url === "" || isProtocolRelative(url)) return null;
  const scheme = schemeOf(url);
  if (scheme === null) return url;
  if (scheme === "data") return SAFE_DATA_IMAGE.test(url) ? url.replace(/\s+/g, "") : null;
  if ((scheme === "http" || scheme === "https") && origin) {
    try {
      return new URL(url).origin === new URL(origin).origin ? url : null;
    } catch {
      return null;
    }
  }
  return null;
}

function sanitizeOptions(options: MarkdownOptions): sanitizeHtml.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ["href", "title", "rel"],
      img: ["src", "alt", "title", "width", "height"],
      abbr: ["title"],
      ol: ["start"],
      th: ["align", "colspan", "rowspan"],
      td: ["align", "colspan", "rowspan"],
      input: ["type", "checked", "disabled"],
      code: ["class"],
    },
    allowedClasses: { code: [/^language-[\w-]+$/] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https", "data"] },
    allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: DROP_WITH_CONTENT,
    transformTags: {
      a: (tagName, attribs) => {
        const href = attribs.href === undefined ? null : safeLinkHref(attribs.href);
        const { href: _dropped, ...rest } = attribs;
        return { tagName, attribs: { ...rest, ...(href ? { href } : {}), rel: "noopener noreferrer nofollow" } };
      },
      img: (tagName, attribs) => {
        const src = attribs.src === undefined ? null : safeImageSrc(attribs.src, options.origin);
        if (!src) return { tagName: "span", attribs: {}, text: attribs.alt ?? "" };
        return { tagName, attribs: { ...attribs, src } };
      },
      // Task-list checkboxes only, and never clickable.
      input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: "" } }),
    },
    exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
  };
}

/** Sanitizes HTML produced from markdown (or written by hand inside it). */
export function sanitizeMarkdownHtml(html: string, options: MarkdownOptions = {}): string {
  return sanitizeHtml(html, sanitizeOptions(options));
}

/** Renders untrusted markdown to HTML that is safe to insert with `dangerouslySetInnerHTML`. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const html = marked.parse(source) as string;
  return sanitizeMarkdownHtml(html, options);
}
