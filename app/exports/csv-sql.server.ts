/**
 * The server's CSV, line by line, written by native DuckDB itself: one VARCHAR per row holding the finished line, so
 * JavaScript only joins them (reading ten typed values a row through the Node bindings costs three times more than
 * DuckDB formatting them, multi-threaded). The rules are the kernel CSV exporter's (kernel/exporters/csv.ts), and a
 * test holds the two to the same bytes: RFC 4180 quoting, NULL as nothing and '' as "", text that a spreadsheet would
 * run as a formula prefixed with an apostrophe, DECIMAL with its scale, doubles without a spurious ".0" (2, not 2.0),
 * ISO dates and timestamps. Where DuckDB prints a double in exponent form its text is kept (1e+16, 1e-07): locale-
 * independent, read back as the same number.
 */
import { type DuckDBType, DuckDBTypeId } from "@duckdb/node-api";
import { quoteIdent } from "./native-export.server.ts";

const NEEDS_QUOTES = (t: string) =>
  `contains(${t}, '"') OR contains(${t}, ',') OR contains(${t}, chr(10)) OR contains(${t}, chr(13))`;
const quoted = (t: string) => `CASE WHEN ${NEEDS_QUOTES(t)} THEN '"' || replace(${t}, '"', '""') || '"' ELSE ${t} END`;

/** Text: '' stays visible as "", formula-looking text gets its apostrophe (kernel/exporters/formula.ts), then quoting. */
function textField(c: string): string {
  return `CASE WHEN ${c} IS NULL THEN '' WHEN ${c} = '' THEN '""' WHEN left(${c}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN ${quoted(`('''' || ${c})`)} ELSE ${quoted(c)} END`;
}

/** Any other value as DuckDB's text, quoted when needed (lists, structs, intervals may hold commas). */
function plainField(text: string, c: string): string {
  return `CASE WHEN ${c} IS NULL THEN '' ELSE ${quoted(text)} END`;
}

/** A double as JavaScript prints it where it matters: NaN, Infinity, 0 for -0, no ".0" on whole numbers. */
function doubleField(c: string): string {
  return `CASE WHEN ${c} IS NULL THEN '' WHEN isnan(${c}) THEN 'NaN' WHEN isinf(${c}) THEN CASE WHEN ${c} > 0 THEN 'Infinity' ELSE '-Infinity' END WHEN ${c} = 0 THEN '0' ELSE regexp_replace(CAST(${c} AS VARCHAR), '\\.0$', '') END`;
}

export function csvFieldExpression(column: string, type: DuckDBType): string {
  const c = quoteIdent(column);
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
      return textField(type.typeId === DuckDBTypeId.VARCHAR ? c : `CAST(${c} AS VARCHAR)`);
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
      return doubleField(c);
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.DATE:
      return `coalesce(CAST(${c} AS VARCHAR), '')`;
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return `coalesce(strftime(CAST(${c} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ'), '')`;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
      return plainField(`CAST(to_json(${c}) AS VARCHAR)`, c);
    default:
      return plainField(`CAST(${c} AS VARCHAR)`, c);
  }
}

/** The whole line (CRLF included) of the columns `names` (positional aliases) with their types. */
export function csvLineExpression(names: readonly string[], types: readonly DuckDBType[]): string {
  const fields = names.map((name, i) => csvFieldExpression(name, types[i]));
  return `concat(${[...fields.flatMap((f, i) => (i === 0 ? [f] : ["','", f])), "chr(13)", "chr(10)"].join(", ")})`;
}
