/**
 * XML text → the ADX element tree: well-formedness check (with line and column), root and namespace check, and the
 * `<group>` / `<dataValue>` elements with their decoded attributes and line numbers. What the values mean is read.ts's job.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { RunIssue } from "../core/types.ts";
import { ADX_NAMESPACE, AdxFileError } from "./types.ts";
import { attributeValue, decodeReferences, LineIndex } from "./xml-text.ts";

export interface AdxElement {
  /** Attributes with references decoded; namespace declarations and prefixed (foreign) attributes left out. */
  attributes: Record<string, string>;
  line: number;
}
export interface AdxDataValueElement extends AdxElement {
  /** Text of child elements by local name (annotation, created, lastUpdated…). */
  children: Record<string, string>;
}
export interface AdxGroupElement extends AdxElement {
  dataValues: AdxDataValueElement[];
}
export interface AdxDocument {
  groups: AdxGroupElement[];
  /** Elements the reader did not use (unknown children), one warning per element name. */
  issues: RunIssue[];
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  captureMetaData: true,
  processEntities: false,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // Leaves as objects too, so empty and text-only elements keep their position (metadata) like the others.
  alwaysCreateTextNode: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const splitName = (tag: string) => {
  const colon = tag.indexOf(":");
  return colon < 0 ? { prefix: "", local: tag } : { prefix: tag.slice(0, colon), local: tag.slice(colon + 1) };
};

/** Parses and checks a whole ADX document; malformed XML and non-ADX roots throw AdxFileError naming file, line, column. */
export function parseAdxDocument(text: string, file: string): AdxDocument {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    const at = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new AdxFileError(`file ${file}, ${at}: malformed XML: ${msg}`, {
      file,
      row: line,
      column: col === undefined ? undefined : String(col),
    });
  }
  const lines = new LineIndex(text);
  // Empty elements (`<group/>`) come back as "" with no position: they get their parent's line.
  const lineOf = (node: unknown, parentLine = 1) => {
    const start =
      typeof node === "object" && node ? (node as Record<symbol, { startIndex?: number }>)[META]?.startIndex : undefined;
    // startIndex can fall one short (after a processing instruction): the element starts at the next '<'.
    return start === undefined ? parentLine : lines.lineOf(text.indexOf("<", start));
  };
  const tree = parser.parse(text) as Node;
  const roots = Object.keys(tree).filter((k) => !k.startsWith("#"));
  const rootNodes = roots.flatMap((k) => tree[k] as Node[]);
  if (rootNodes.length !== 1) {
    const names = roots.map((r) => `<${r}>`).join(", ");
    throw new AdxFileError(`file ${file}: an XML document has one root element, this one has ${rootNodes.length} (${names})`, {
      file,
    });
  }
  const rootTag = roots[0];
  const root = rootNodes[0];
  const { prefix, local } = splitName(rootTag);
  if (local !== "adx") {
    throw new AdxFileError(
      `file ${file}, line ${lineOf(root)}: the root element is <${rootTag}>, not <adx>: this is not an ADX message`,
      {
        file,
        row: lineOf(root),
      },
    );
  }
  const namespace = root[prefix ? `@xmlns:${prefix}` : "@xmlns"];
  if (namespace !== undefined && namespace !== ADX_NAMESPACE) {
    throw new AdxFileError(
      `file ${file}, line ${lineOf(root)}: <${rootTag}> is in namespace '${namespace}', not ${ADX_NAMESPACE}`,
      {
        file,
        row: lineOf(root),
      },
    );
  }
  const issues: RunIssue[] = [];
  const ignored = new Set<string>();
  // ADX elements share the root's prefix; anything else is another vocabulary, ignored but said once per name.
  const children = (node: Node, where: string, wanted: string) => {
    const found: Node[] = [];
    for (const key of Object.keys(node)) {
      if (key.startsWith("@") || key.startsWith("#")) continue;
      const name = splitName(key);
      if (name.prefix === prefix && name.local === wanted) found.push(...(node[key] as Node[]));
      else if (!ignored.has(`${where}/${key}`)) {
        ignored.add(`${where}/${key}`);
        const line = lineOf((node[key] as Node[])[0], lineOf(node));
        issues.push({
          severity: "warning",
          message: `file ${file}, line ${line}: <${key}> inside <${where}> is not ADX; ignored`,
          place: { file, row: line },
        });
      }
    }
    return found.map((n) => (typeof n === "object" ? n : {}));
  };
  const groups = children(root, rootTag, "group").map((g) => ({
    attributes: attributesOf(g),
    line: lineOf(g, lineOf(root)),
    dataValues: dataValuesOf(g),
  }));
  function dataValuesOf(group: Node): AdxDataValueElement[] {
    return children(group, `${prefix ? `${prefix}:` : ""}group`, "dataValue").map((dv) => ({
      attributes: attributesOf(dv),
      line: lineOf(dv, lineOf(group)),
      children: childTexts(dv),
    }));
  }
  return { groups, issues };
}

function attributesOf(node: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(node)) {
    if (!key.startsWith("@")) continue;
    const name = key.slice(1);
    // Namespace declarations and qualified attributes (xsi:schemaLocation…) are XML plumbing, not ADX data.
    if (name === "xmlns" || name.includes(":")) continue;
    out[name] = attributeValue(String(node[key]));
  }
  return out;
}

function childTexts(node: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(node)) {
    if (key.startsWith("@") || key.startsWith("#")) continue;
    const parts = (node[key] as unknown[]).map((c) => (typeof c === "string" ? c : String((c as Node)["#text"] ?? "")));
    out[splitName(key).local] = decodeReferences(parts.join("\n")).trim();
  }
  return out;
}
