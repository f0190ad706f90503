/**
 * The server key that seals DHIS2 credentials at rest: 32 random bytes in `<dataDir>/secret.key`, created with mode 0600
 * on first use. The key never leaves the server; losing it only means re-entering the credentials of saved sources.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SERVER_KEY_FILE = "secret.key";

export function serverKeyPath(dataDir: string): string {
  return path.join(dataDir, SERVER_KEY_FILE);
}

function read(file: string): Buffer {
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length < 32) throw new Error(`${file}: the server key is shorter than 32 bytes; restore it from a backup`);
  // A key readable by others defeats sealing: tighten it rather than refuse to start.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return key;
}

/** Reads the key, creating it when missing. Two processes creating it at once agree: the loser of `wx` reads the winner's. */
export function loadServerKey(dataDir: string): Buffer {
  const file = serverKeyPath(dataDir);
  try {
    return read(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return read(file);
}
