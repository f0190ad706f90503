import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const ADMIN = { email: "admin@harmony.local", password: "admin-test-password" };
export const ANALYST = { email: "analyst@harmony.local", password: "harmony-analyst" };
export const VIEWER = { email: "viewer@harmony.local", password: "harmony-viewer" };

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

export function tempDataDir(prefix = "harmony-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/**
 * Starts the real production server (`server.ts` over the committed Remix build) as a child process on a free port,
 * with its own SQLite files in a temporary data directory.
 */
export async function startServer(options: { env?: Record<string, string>; dataDir?: string } = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "server.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      HARMONY_DATA_DIR: dataDir,
      HARMONY_ADMIN_PASSWORD: ADMIN.password,
      HARMONY_DEMO: "1",
      // Demo accounts, but not the demo workspace's data: tests build the data they need.
      HARMONY_DEMO_DATA: "0",
      // The DHIS2 stand-in listens on loopback, an internal address the server otherwise refuses to fetch.
      HARMONY_DHIS2_PRIVATE_HOSTS: "127.0.0.1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}
