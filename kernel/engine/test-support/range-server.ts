/** Starts range-server-worker.mjs in a worker thread and talks to it. */
import { once } from "node:events";
import { Worker } from "node:worker_threads";

export interface RangeServer {
  url(file: string): string;
  requests(): Promise<{ method: string; path: string; range: string | null }[]>;
  close(): Promise<void>;
}

export async function startRangeServer(root: string, options: { ranges?: boolean } = {}): Promise<RangeServer> {
  const worker = new Worker(new URL("./range-server-worker.mjs", import.meta.url), {
    workerData: { root, ranges: options.ranges ?? true },
  });
  const [{ port }] = (await once(worker, "message")) as [{ port: number }];
  const ask = async <T>(message: string): Promise<T> => {
    worker.postMessage(message);
    const [answer] = (await once(worker, "message")) as [T];
    return answer;
  };
  return {
    url: (file) => `http://127.0.0.1:${port}/${file}`,
    requests: async () => (await ask<{ log: { method: string; path: string; range: string | null }[] }>("log")).log,
    close: async () => {
      await ask("close");
      await worker.terminate();
    },
  };
}
