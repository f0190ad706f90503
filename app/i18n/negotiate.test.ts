import { describe, expect, it } from "vitest";
import { chooseLanguage, fromAcceptLanguage } from "./negotiate.ts";

describe("language negotiation", () => {
  it("reads Accept-Language by quality, then order, matching base languages", () => {
    expect(fromAcceptLanguage("pt-BR,pt;q=0.9,en;q=0.8")).toBe("pt");
    expect(fromAcceptLanguage("de-DE, fr;q=0.5, en;q=0.7")).toBe("en");
    expect(fromAcceptLanguage("fr-CA;q=0.9, de")).toBe("fr");
    expect(fromAcceptLanguage("de, ja")).toBeNull();
    expect(fromAcceptLanguage("fr;q=0, en;q=0.1")).toBe("en");
    expect(fromAcceptLanguage(undefined)).toBeNull();
  });
  it("prefers the user's setting, then the cookie, then the browser, then English", () => {
    expect(chooseLanguage("pt", "fr", "en")).toBe("pt");
    expect(chooseLanguage(null, "fr", "pt")).toBe("fr");
    expect(chooseLanguage(null, "xx", "pt-PT")).toBe("pt");
    expect(chooseLanguage("klingon", undefined, null)).toBe("en");
  });
});
