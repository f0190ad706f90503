/** Starts serve.ts as a child process and reads its request log over HTTP. */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { ServedRequest, ServedTotals } from "./serve.ts";

export interface BenchServer {
  base: string;
  datasetUrl: string;
  /** Dataset responses since the last reset; `reset` empties the log after reading it. */
  log(reset?: boolean): Promise<{ entries: ServedRequest[]; totals: ServedTotals }>;
  close(): Promise<void>;
}

export async function startBenchServer(root: string, datasetName: string): Promise<BenchServer> {
  const script = fileURLToPath(new URL("./serve.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, root, datasetName], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited with code ${code} before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", (line) => resolve(JSON.parse(line).port));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    datasetUrl: `${base}/${datasetName}`,
    async log(reset = false) {
      const res = await fetch(`${base}/__log${reset ? "?reset=1" : ""}`);
      return (await res.json()) as { entries: ServedRequest[]; totals: ServedTotals };
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export function bodyBytes(log: readonly ServedRequest[]): number {
  return log.reduce((sum, r) => sum + r.body, 0);
}
