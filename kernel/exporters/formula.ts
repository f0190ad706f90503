/**
 * Spreadsheet formula injection (CSV injection): a text cell starting with = + - @ (or a tab or carriage return, which
 * some spreadsheets skip before looking for those) is run as a formula when the file is opened or the text pasted.
 * Such TEXT values get a leading apostrophe, the convention spreadsheets show as "this is text" (OWASP's advice; the
 * audit CSV and report tile CSV use this too). Only text is touched: numbers stay numbers (a negative number is a
 * number, not a formula), and the exporters call this for text columns only.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
