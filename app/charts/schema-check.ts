/**
 * A small JSON Schema (draft-07) checker for exactly the keywords Vega-Lite's schema uses: $ref, anyOf, type, enum, const,
 * properties, additionalProperties, required, items, min/maxItems, min/maxLength, minimum/maximum, minProperties.
 * (No validator library is installed — ajv is absent — and the schema uses nothing else; `format` is advisory and skipped.)
 * It stops at the first failure and, inside anyOf, reports the alternative that got furthest, which is what a person
 * editing the spec wants to read ("encoding.x.type: must be one of "quantitative", "ordinal"…").
 */

export type JsonSchema = { [keyword: string]: unknown };

export interface SchemaError {
  path: string;
  message: string;
  /** How many path segments deep the failure is: the deeper, the better the alternative matched. */
  depth: number;
  expected?: string[];
}

const typeOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  if (type === "number") return actual === "number" || actual === "integer";
  return actual === type;
}

const join = (path: string, key: string | number) =>
  typeof key === "number"
    ? `${path}[${key}]`
    : /^[A-Za-z_$][\w$]*$/.test(key)
      ? path
        ? `${path}.${key}`
        : key
      : `${path}[${JSON.stringify(key)}]`;

export function checkSchema(root: JsonSchema, value: unknown): SchemaError | null {
  return check(root, root, value, "", 0);
}

function resolve(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith("#/")) throw new Error(`schema: only local $ref is supported, got ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/"))
    node = (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  if (!node || typeof node !== "object") throw new Error(`schema: $ref ${ref} points nowhere`);
  return node as JsonSchema;
}

function check(root: JsonSchema, schema: JsonSchema, value: unknown, path: string, depth: number): SchemaError | null {
  if (typeof schema.$ref === "string") return check(root, resolve(root, schema.$ref), value, path, depth);
  const fail = (message: string, expected?: string[]): SchemaError => ({ path, message, depth, expected });

  if (Array.isArray(schema.anyOf)) {
    let best: SchemaError | null = null;
    const sameLevel: string[] = [];
    for (const branch of schema.anyOf as JsonSchema[]) {
      const error = check(root, branch, value, path, depth);
      if (!error) return null;
      if (error.depth === depth && error.expected) sameLevel.push(...error.expected);
      if (!best || error.depth > best.depth) best = error;
    }
    if (best && best.depth === depth && sameLevel.length > 0) {
      const unique = [...new Set(sameLevel)];
      const shown = unique.slice(0, 12).join(", ") + (unique.length > 12 ? ", …" : "");
      return fail(`must be one of ${shown}`, unique);
    }
    return best;
  }

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => matchesType(value, t))) {
      const described = types.map((t) =>
        t === "object" ? "an object" : t === "array" ? "an array" : t === "integer" ? "an integer" : `a ${t}`,
      );
      return fail(`must be ${described.join(" or ")}, got ${typeOf(value)}`, described);
    }
  }
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    return fail(`must be ${JSON.stringify(schema.const)}`, [JSON.stringify(schema.const)]);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    const options = schema.enum.map((e) => JSON.stringify(e));
    return fail(`must be one of ${options.slice(0, 12).join(", ")}${options.length > 12 ? ", …" : ""}`, options);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength)
      return fail(`must have at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength)
      return fail(`must have at most ${schema.maxLength} characters`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) return fail(`must be ≥ ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) return fail(`must be ≤ ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      return fail(`must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
      return fail(`must have at most ${schema.maxItems} items`);
    if (schema.items && typeof schema.items === "object") {
      const tuple = Array.isArray(schema.items) ? (schema.items as JsonSchema[]) : null;
      for (let i = 0; i < value.length; i++) {
        const itemSchema = tuple ? tuple[i] : (schema.items as JsonSchema);
        if (!itemSchema) continue;
        const error = check(root, itemSchema, value[i], join(path, i), depth + 1);
        if (error) return error;
      }
    }
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (typeof schema.minProperties === "number" && keys.length < schema.minProperties)
      return fail(`must have at least ${schema.minProperties} properties`);
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in object)) return { path, message: `is missing the required property \`${key}\``, depth: depth + 1 };
    }
    const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
    for (const key of keys) {
      const propertySchema = Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (propertySchema) {
        const error = check(root, propertySchema, object[key], join(path, key), depth + 1);
        if (error) return error;
      } else if (schema.additionalProperties === false) {
        return { path, message: `has an unknown property \`${key}\``, depth: depth + 1 };
      } else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
        const error = check(root, schema.additionalProperties as JsonSchema, object[key], join(path, key), depth + 1);
        if (error) return error;
      }
    }
  }
  return null;
}
