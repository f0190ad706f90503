/** Writing XML text by hand (so output can stream): escaping and numbers in the lexical forms ADX schemas accept. */

/**
 * The first character XML 1.0 cannot carry at all, even as a reference (C0 controls but tab/LF/CR, U+FFFE/U+FFFF,
 * lone surrogates), or undefined. A scan, not a regex: the linter rightly flags control characters in regex literals.
 */
function illegalCharacter(value: string): number | undefined {
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff))
      return c;
  }
  return undefined;
}
const SPECIAL = /[&<>"\t\n\r]/g;
const REPLACEMENT: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  // Literal tabs and line breaks in an attribute are read back as spaces (XML 1.0 §3.3.3); references survive.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

export class XmlTextError extends Error {
  override name = "XmlTextError";
}

/** The value escaped for a double-quoted attribute; throws XmlTextError (with `what`) for text XML cannot hold. */
export function escapeAttribute(value: string, what: string): string {
  const bad = illegalCharacter(value);
  if (bad !== undefined) {
    const code = bad.toString(16).toUpperCase().padStart(4, "0");
    throw new XmlTextError(`${what}: character U+${code} cannot be written in XML 1.0`);
  }
  return value.replace(SPECIAL, (c) => REPLACEMENT[c]);
}

/**
 * A number as xs:decimal (no exponent): JavaScript writes 1e21 and 1e-7 in exponent form, which ADX validators reject.
 * The digits are JavaScript's shortest round-trip ones, only moved around the point.
 */
export function decimalString(n: number): string {
  if (!Number.isFinite(n)) throw new XmlTextError(`${n} is not a finite number`);
  const text = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, rest = "", exp] = m;
  const digits = lead + rest;
  const point = 1 + Number(exp); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
