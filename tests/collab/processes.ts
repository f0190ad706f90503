/** Parent side of the child-process clients and servers: spawn, talk JSON lines, kill. */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export class Child {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private firstLine: Promise<Record<string, unknown>>;
  stderr = "";

  private constructor(readonly proc: ChildProcess) {
    let resolveFirst: (v: Record<string, unknown>) => void = () => {};
    this.firstLine = new Promise((resolve) => {
      resolveFirst = resolve;
    });
    let first = true;
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      if (first) {
        first = false;
        return resolveFirst(message);
      }
      const waiter = this.pending.get(Number(message.id));
      this.pending.delete(Number(message.id));
      if (message.error) waiter?.reject(new Error(String(message.error)));
      else waiter?.resolve(message);
    });
    proc.stderr!.on("data", (chunk) => {
      this.stderr += String(chunk);
    });
    proc.on("exit", () => {
      for (const w of this.pending.values()) w.reject(new Error(`child exited: ${this.stderr.slice(-2000)}`));
      this.pending.clear();
    });
  }

  /** Starts `node --import tsx <script> ...args` and waits for its first stdout line. */
  static async start(script: string, args: string[]): Promise<{ child: Child; hello: Record<string, unknown> }> {
    const proc = spawn(process.execPath, ["--import", "tsx", `tests/collab/${script}`, ...args], {
      cwd: repoRoot,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const child = new Child(proc);
    const hello = await Promise.race([
      child.firstLine,
      new Promise<never>((_, reject) =>
        proc.on("exit", (code) => reject(new Error(`${script} exited (${code}): ${child.stderr.slice(-2000)}`))),
      ),
    ]);
    return { child, hello };
  }

  request(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`'${cmd}' got no answer in ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.stdin!.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.proc.once("exit", () => resolve());
      this.proc.kill(signal);
    });
  }
}

export async function startClient(collabUrl: string, notebookId: string, user: string): Promise<Child> {
  return (await Child.start("client-process.ts", [collabUrl, notebookId, user])).child;
}

export async function startServerProcess(dataDir: string, port: number, notebookIds: string[]) {
  const { child, hello } = await Child.start("server-process.ts", [dataDir, String(port), ...notebookIds]);
  return { child, port: Number(hello.port) };
}
