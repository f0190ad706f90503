import { open } from "node:fs/promises";

/** fsync a file or a directory (a directory fsync makes a rename in it survive a power loss). */
export async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
