import { createCookie } from "@remix-run/node";

/** Remembers a signed-out visitor's language choice (signed-in users keep theirs on their account). */
export const languageCookie = createCookie("harmony_lang", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 31_536_000 });
