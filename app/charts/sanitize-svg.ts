import sanitizeHtml from "sanitize-html";

/**
 * A strict allowlist for the SVG Vega writes: shapes, groups, text, gradients and clip paths with presentation and ARIA
 * attributes. Everything else goes — scripts, foreignObject, <a>/<image>/<use> (they load or link), event handlers,
 * style attributes and elements, and any url() that is not a same-document reference (`url(#clip3)`).
 * Reports embed this SVG inline in their HTML, so this is the last line between a spec and the reader's page.
 */

const shapes = ["path", "rect", "line", "circle", "ellipse", "polygon", "polyline", "stop"];
const containers = ["svg", "g", "text", "tspan", "defs", "clipPath", "linearGradient", "radialGradient", "title", "desc"];

const presentation = [
  "class",
  "id",
  "transform",
  "d",
  "x",
  "y",
  "x1",
  "y1",
  "x2",
  "y2",
  "cx",
  "cy",
  "r",
  "rx",
  "ry",
  "dx",
  "dy",
  "width",
  "height",
  "points",
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-dashoffset",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-miterlimit",
  "opacity",
  "display",
  "visibility",
  "clip-path",
  "pointer-events",
  "paint-order",
  "mix-blend-mode",
  "text-anchor",
  "dominant-baseline",
  "font-family",
  "font-size",
  "font-style",
  "font-weight",
  "letter-spacing",
  "offset",
  "stop-color",
  "stop-opacity",
  "gradientUnits",
  "gradientTransform",
  "clipPathUnits",
  "role",
  "aria-label",
  "aria-hidden",
  "aria-roledescription",
  "aria-description",
];
const rootOnly = ["xmlns", "xmlns:xlink", "version", "viewBox", "preserveAspectRatio"];

const sameDocumentUrl = /^url\(#[\w.-]+\)$/;
const svgNamespace = "http://www.w3.org/2000/svg";

/** Drops attribute values that could load or run something even on an allowed attribute. */
function safeValue(name: string, value: string): boolean {
  if (/url\s*\(/i.test(value) && !sameDocumentUrl.test(value.trim())) return false;
  if (/javascript:|data:|expression\s*\(|[<>]/i.test(value)) return false;
  if (name === "xmlns") return value === svgNamespace;
  if (name === "xmlns:xlink") return value === "http://www.w3.org/1999/xlink";
  return true;
}

export function sanitizeSvg(svg: string): string {
  const cleaned = sanitizeHtml(svg, {
    allowedTags: [...shapes, ...containers],
    allowedAttributes: { svg: [...presentation, ...rootOnly], "*": presentation },
    selfClosing: shapes,
    allowedSchemes: [],
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: ["script", "style", "foreignObject", "textarea", "iframe", "noscript"],
    parser: { xmlMode: true },
    transformTags: {
      "*": (tagName, attribs) => ({
        tagName,
        attribs: Object.fromEntries(Object.entries(attribs).filter(([name, value]) => safeValue(name, value))),
      }),
    },
  });
  if (!cleaned.startsWith("<svg")) throw new Error("chart: the renderer's output is not an SVG document");
  return cleaned;
}
