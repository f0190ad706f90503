/**
 * Disaggregation attributes ↔ one deterministic text, e.g. {SEX: "F", AGE_GROUP: "15-24"} → "AGE_GROUP=15-24|SEX=F".
 * Names are XML names, which cannot hold `=`, `|` or `\`; values can, so they are escaped with `\`.
 * Names sort by code unit (not locale) so the text is the same on every machine.
 */

export type Attributes = Record<string, string>;

const escapeValue = (v: string) => v.replace(/[\\|=]/g, (c) => `\\${c}`);
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** null when there are no attributes. */
export function serializeDisaggregation(attributes: Attributes): string | null {
  const names = Object.keys(attributes).sort(byCodeUnit);
  if (names.length === 0) return null;
  return names.map((n) => `${n}=${escapeValue(attributes[n])}`).join("|");
}

/** XML 1.0 Name (ASCII letters, digits, `_ - .` and any non-ASCII letter, no leading digit, dot or hyphen), no prefix. */
const XML_NAME = /^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\u00B7\u00C0-\uFFFF-]*$/u;

export const isXmlName = (name: string) => XML_NAME.test(name) && !/^xml/i.test(name);

/**
 * The attributes a text stands for, or null when it is not exactly what serializeDisaggregation writes (e.g. a DHIS2
 * category option combo name such as "Female, <5"). Requiring the canonical form makes parse∘serialize the identity,
 * so an export followed by an import gives back the same text.
 */
export function parseDisaggregation(text: string): Attributes | null {
  const attributes: Attributes = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) return null;
    const name = text.slice(i, eq);
    if (!isXmlName(name) || Object.hasOwn(attributes, name)) return null;
    let value = "";
    let j = eq + 1;
    for (; j < text.length && text[j] !== "|"; j++) {
      if (text[j] === "=") return null;
      if (text[j] === "\\") {
        j++;
        if (j >= text.length || !"\\|=".includes(text[j])) return null;
      }
      value += text[j];
    }
    attributes[name] = value;
    i = j + 1;
    if (j === text.length - 1) return null; // a trailing "|" names nothing
  }
  return serializeDisaggregation(attributes) === text ? attributes : null;
}
