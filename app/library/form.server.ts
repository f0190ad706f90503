/**
 * The pages' forms as the JSON API's bodies: tags typed as "a, b", parameters as a JSON array in a text area. A
 * parameters field that is not JSON is refused here, naming the field, before the shared validation runs.
 */
import type { InputError } from "./input.ts";
import { splitTags } from "./input.ts";

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

function parameters(form: FormData): unknown[] | InputError {
  const raw = text(form, "parameters").trim();
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : { error: "parameters: a JSON array of input definitions", field: "parameters" };
  } catch {
    return { error: "parameters: not valid JSON", field: "parameters" };
  }
}

export function metadataFromForm(form: FormData) {
  return {
    name: text(form, "name"),
    description: text(form, "description"),
    tags: splitTags(text(form, "tags")),
    visibility: text(form, "visibility"),
    groupId: text(form, "groupId") || null,
  };
}

export function versionFromForm(form: FormData): { sql: string; parameters: unknown[]; message: string } | InputError {
  const params = parameters(form);
  if (!Array.isArray(params)) return params;
  return { sql: text(form, "sql"), parameters: params, message: text(form, "message") };
}
