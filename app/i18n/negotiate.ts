import { DEFAULT_LANGUAGE, isLanguage, type Language } from "./languages.ts";

/** The best supported language for an Accept-Language header, by quality then order ("pt-BR;q=0.9" → pt). */
export function fromAcceptLanguage(header: string | null | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { base: tag.trim().toLowerCase().split("-")[0], q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.base && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((r) => r.base).find(isLanguage) ?? null;
}

/** The user's own setting wins, then the language cookie (signed-out choice), then the browser's preference. */
export function chooseLanguage(
  userSetting: string | null | undefined,
  cookie: string | null | undefined,
  acceptLanguage: string | null,
): Language {
  if (isLanguage(userSetting)) return userSetting;
  if (isLanguage(cookie)) return cookie;
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LANGUAGE;
}
