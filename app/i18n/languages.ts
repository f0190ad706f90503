export const LANGUAGES = ["en", "fr", "pt"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

/** Names shown in the language picker, each in its own language. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", fr: "Français", pt: "Português" };

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}
