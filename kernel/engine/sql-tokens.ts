/**
 * DuckDB's own tokenizer output (`db.tokenize(sql)` → offsets and types) turned into tokens with text. Everything that
 * looks at SQL structure in the kernel goes through these tokens, so strings, quoted identifiers and comments are never
 * mistaken for code.
 */

/** Mirrors duckdb-wasm's TokenType. */
export const TokenType = { IDENTIFIER: 0, NUMERIC_CONSTANT: 1, STRING_CONSTANT: 2, OPERATOR: 3, KEYWORD: 4, COMMENT: 5 } as const;

export interface RawTokens {
  offsets: ArrayLike<number>;
  types: ArrayLike<number>;
}

export interface Token {
  start: number;
  end: number;
  type: number;
  text: string;
}

export function toTokens(sql: string, raw: RawTokens): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < raw.offsets.length; i++) {
    const start = raw.offsets[i];
    const type = raw.types[i];
    if (type === TokenType.COMMENT) continue;
    const limit = i + 1 < raw.offsets.length ? raw.offsets[i + 1] : sql.length;
    const end = tokenEnd(sql, start, limit, type);
    tokens.push({ start, end, type, text: sql.slice(start, end) });
  }
  return tokens;
}

function tokenEnd(sql: string, start: number, limit: number, type: number): number {
  const first = sql[start];
  if (type === TokenType.STRING_CONSTANT || (type === TokenType.IDENTIFIER && first === '"')) {
    if (first === "'" || first === '"') return closeQuoted(sql, start, first);
    if (first === "$") {
      const tagEnd = sql.indexOf("$", start + 1);
      const tag = sql.slice(start, tagEnd + 1);
      const close = sql.indexOf(tag, tagEnd + 1);
      return close < 0 ? sql.length : close + tag.length;
    }
    const quote = sql.indexOf("'", start);
    if (quote >= 0 && quote < limit) return closeQuoted(sql, quote, "'");
  }
  let end = start;
  while (end < limit && !isSpace(sql[end]) && !sql.startsWith("--", end) && !sql.startsWith("/*", end)) end++;
  return Math.max(end, start + 1);
}

function closeQuoted(sql: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function isSpace(ch: string): boolean {
  return ch === " " || ch === "\n" || ch === "\t" || ch === "\r" || ch === "\f" || ch === "\v";
}

export function isWord(token: Token | undefined): boolean {
  return token !== undefined && (token.type === TokenType.IDENTIFIER || token.type === TokenType.KEYWORD);
}

export function isOperator(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.type === TokenType.OPERATOR && token.text === text;
}

export function isKeyword(token: Token | undefined, word: string): boolean {
  return token !== undefined && token.type !== TokenType.STRING_CONSTANT && token.text.toLowerCase() === word;
}

/** `"Cell ""1"""` → `Cell "1"`; bare identifiers are returned as written. */
export function identifierName(token: Token): string {
  const t = token.text;
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) return t.slice(1, -1).replaceAll('""', '"');
  return t;
}

/** Double-quotes an identifier for SQL text we generate (names are validated, quoting keeps keywords safe). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The SQL without trailing semicolons. A cell holds one statement: a semicolon followed by more code is refused,
 * so nothing can be appended to the CREATE VIEW statement built around it.
 */
export function singleStatement(sql: string, tokens: Token[]): { body: string; tokens: Token[] } {
  let last = tokens.length;
  while (last > 0 && isOperator(tokens[last - 1], ";")) last--;
  const inner = tokens.slice(0, last);
  const semicolon = inner.find((t) => isOperator(t, ";"));
  if (semicolon) {
    throw Object.assign(new Error("A SQL cell holds one statement: remove the text after the semicolon"), {
      position: semicolon.start,
    });
  }
  const end = last === 0 ? 0 : tokens[last - 1].end;
  return { body: sql.slice(0, end), tokens: inner };
}

/** Lower-cased names used as a qualifier (`x.` before another word): candidate dataset slugs to attach. */
export function qualifiers(tokens: Token[]): Set<string> {
  const found = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (isWord(tokens[i]) && isOperator(tokens[i + 1], ".") && tokens[i + 1].start === tokens[i].end) {
      if (i > 0 && isOperator(tokens[i - 1], ".")) continue;
      found.add(identifierName(tokens[i]).toLowerCase());
    }
  }
  return found;
}
