/**
 * DHIS2 credentials at rest: AES-256-GCM with a key derived from the server key (HKDF-SHA256), a fresh 12-byte IV per
 * encryption, and the source id as additional authenticated data so a sealed secret cannot be moved to another source.
 * Nothing here logs; `redactAuth` is what may be shown (never the password or token, never sent to the browser).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { type Dhis2Auth, dhis2AuthSchema } from "./config-schema.ts";

const VERSION = "v1";
const INFO = "harmony dhis2 credentials v1";

function deriveKey(serverKey: string | Buffer): Buffer {
  const material = typeof serverKey === "string" ? Buffer.from(serverKey, "utf8") : serverKey;
  if (material.length < 16)
    throw new Error("server key is too short: use at least 32 random bytes (e.g. `openssl rand -base64 32`)");
  return Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), INFO, 32));
}

/** Seals credentials into "v1.<iv>.<tag>.<ciphertext>" (base64url parts). `context` is usually the source id. */
export function encryptCredentials(auth: Dhis2Auth, serverKey: string | Buffer, context = ""): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(serverKey), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const plaintext = Buffer.from(JSON.stringify(dhis2AuthSchema.parse(auth)), "utf8");
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export function decryptCredentials(sealed: string, serverKey: string | Buffer, context = ""): Dhis2Auth {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined)
    throw new Error("stored DHIS2 credentials are not in a known format");
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(serverKey), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]);
  } catch {
    // Deliberately vague: the reason (wrong key, tampering, other source) must not help an attacker.
    throw new Error("stored DHIS2 credentials could not be decrypted (wrong server key, or the data was altered)");
  }
  return dhis2AuthSchema.parse(JSON.parse(plaintext.toString("utf8")));
}

/** What the UI may show about stored credentials. */
export function redactAuth(auth: Dhis2Auth): { type: "basic"; username: string } | { type: "token"; tokenHint: string } {
  if (auth.type === "basic") return { type: "basic", username: auth.username };
  return { type: "token", tokenHint: `${auth.token.slice(0, 6)}…` };
}
