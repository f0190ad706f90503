/**
 * Parent side of the bench's child processes (server, editors): spawn `node --import tsx bench/collab/<script>`, talk
 * JSON lines over stdin/stdout, kill. Adapted from tests/collab/processes.ts (which only starts scripts of its own
 * folder). Every request has a timeout so a stuck child cannot hang the bench.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

type Message = Record<string, unknown>;

export class Child {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: Message) => void; reject: (e: Error) => void }>();
  private firstLine: Promise<Message>;
  stderr = "";

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    let resolveFirst: (v: Message) => void = () => {};
    this.firstLine = new Promise((resolve) => {
      resolveFirst = resolve;
    });
    let first = true;
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      let message: Message;
      try {
        message = JSON.parse(line) as Message;
      } catch {
        this.stderr += `[stdout] ${line}\n`; // a stray console.log, not a reply
        return;
      }
      if (first) {
        first = false;
        return resolveFirst(message);
      }
      const waiter = this.pending.get(Number(message.id));
      this.pending.delete(Number(message.id));
      if (message.error) waiter?.reject(new Error(`${this.name}: ${String(message.error)}`));
      else waiter?.resolve(message);
    });
    proc.stderr!.on("data", (chunk) => {
      this.stderr = (this.stderr + String(chunk)).slice(-20_000);
    });
    proc.on("exit", (code, signal) => {
      for (const w of this.pending.values()) {
        w.reject(new Error(`${this.name} exited (${signal ?? code}): ${this.stderr.slice(-2000)}`));
      }
      this.pending.clear();
    });
  }

  /** Starts the script and waits (at most 60 s) for its first stdout line. */
  static async start(script: string, args: string[], nodeFlags: string[] = []): Promise<{ child: Child; hello: Message }> {
    const proc = spawn(process.execPath, [...nodeFlags, "--import", "tsx", `bench/collab/${script}`, ...args], {
      cwd: repoRoot,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const child = new Child(`${script} ${args.join(" ")}`.trim(), proc);
    let timer: NodeJS.Timeout | undefined;
    try {
      const hello = await Promise.race([
        child.firstLine,
        new Promise<never>((_, reject) => {
          proc.on("exit", (code) => reject(new Error(`${script} exited (${code}): ${child.stderr.slice(-2000)}`)));
          timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
        }),
      ]);
      return { child, hello };
    } catch (error) {
      await child.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  request(cmd: string, args: Message = {}, timeoutMs = 60_000): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: '${cmd}' got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
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

/** Child side: answers JSON-line commands with `handler`; exits when the parent goes away (stdin closes). */
export async function serveCommands(handler: (cmd: string, c: Message) => Promise<Message> | Message, hello: Message) {
  const { stdin, stdout } = process;
  createInterface({ input: stdin }).on("line", (line) => {
    const command = JSON.parse(line) as Message & { id: number; cmd: string };
    Promise.resolve()
      .then(() => handler(command.cmd, command))
      .then(
        (result) => stdout.write(`${JSON.stringify({ id: command.id, ...result })}\n`),
        (error: Error) => stdout.write(`${JSON.stringify({ id: command.id, error: error.stack ?? error.message })}\n`),
      );
  });
  stdin.on("end", () => process.exit(0));
  // No bench child outlives a forgotten parent for long.
  setTimeout(() => process.exit(3), 20 * 60_000).unref();
  stdout.write(`${JSON.stringify(hello)}\n`);
}
