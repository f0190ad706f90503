import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { type RequestAuth, sessionMiddleware } from "./app/auth/session-middleware.server.ts";
import { type Config, loadConfig } from "./app/config.server.ts";
import { datasetFileRoute } from "./app/datasets/file-route.server.ts";
import { exportDownloadRoute } from "./app/exports/download-route.server.ts";
import { refuseCrossSiteWrites } from "./app/http/csrf.server.ts";
import { securityHeaders } from "./app/http/security-headers.server.ts";
import { createUpgradeRouter, refuseUpgrade } from "./app/http/upgrade-router.server.ts";
import { createServices, type Services } from "./app/services.server.ts";

const root = path.dirname(fileURLToPath(import.meta.url));
/** Where `remix vite:build` wrote the app; HARMONY_BUILD_DIR (relative to the repository) overrides "build". */
const buildDir = path.resolve(root, process.env.HARMONY_BUILD_DIR || "build");
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };

/**
 * One Node HTTP server on one port (DESIGN.md decision 3): the Remix handler, hashed static assets, /healthz and the
 * websocket upgrades. In development Vite runs in middleware mode on the same server.
 */
export async function startServer(config: Config, dev: boolean) {
  const services = await createServices(config);
  const app = express();
  app.disable("x-powered-by");
  if (config.trustProxy) app.set("trust proxy", true);
  const server = createServer(app);

  app.use(securityHeaders(dev));
  app.get("/healthz", (_req, res) => {
    try {
      services.database.sqlite.prepare("SELECT 1").get();
      res.set("Cache-Control", "no-store").json({ status: "ok", version, database: "ok" });
    } catch (error) {
      res.status(503).json({ status: "error", version, database: String(error) });
    }
  });
  app.use(refuseCrossSiteWrites());

  const vite = dev ? await (await import("vite")).createServer({ server: { middlewareMode: true, hmr: { server } } }) : undefined;
  if (vite) {
    app.use(vite.middlewares);
  } else {
    // Hashed file names change with their content, so they can be cached forever.
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  }

  app.use(sessionMiddleware(services.sessions));
  app.get("/datasets/:slug/v/:version.duckdb", datasetFileRoute(services));
  // Streamed exports pace DuckDB by the socket's backpressure, which Remix's response copy ignores (app/exports).
  app.get("/notebooks/:id/export/:ticket", exportDownloadRoute(services));
  const build = vite
    ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : ((await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild);
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: dev ? "development" : "production",
      getLoadContext: (req, res) => ({
        services,
        cspNonce: String(res.locals.cspNonce ?? ""),
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        https: req.secure,
        auth: res.locals.auth as RequestAuth,
      }),
    }),
  );

  const upgrades = createUpgradeRouter((req) => Boolean(vite) && isViteHmr(req));
  upgrades.register("/collab/:notebookId", (req, socket, head, params) => {
    // The session cookie and the notebook role are checked before the upgrade (app/notebooks/collab.server.ts).
    void services.collab.handleUpgrade(req, socket, head, params.notebookId).catch((error) => {
      console.error(`collab upgrade for notebook ${params.notebookId} failed: ${error}`);
      refuseUpgrade(socket, 500, "Internal Server Error");
    });
  });
  server.on("upgrade", (req, socket, head) => upgrades.handle(req, socket, head));

  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, 3000);
      for (const s of sockets) if (!s.readable || (s as Socket & { _httpMessage?: unknown })._httpMessage === undefined) s.end();
      await vite?.close();
      await services.runs.stopAll();
      // Closes the notebook sockets (clients reconnect to the next server) and compacts the open documents.
      await services.collab.close();
      await done;
      clearTimeout(force);
      services.close();
    })();
    return closing;
  };
  return { port, server, services, close };
}

function isViteHmr(req: IncomingMessage): boolean {
  return req.headers["sec-websocket-protocol"] === "vite-hmr";
}

async function main() {
  const dev = process.argv.includes("--dev");
  const config = loadConfig(dev ? { ...process.env, NODE_ENV: "development" } : process.env);
  const { port, close } = await startServer(config, dev);
  console.log(`Harmony ${version} listening on http://localhost:${port}`);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, async () => {
      console.log(`${signal}: shutting down`);
      await close();
      process.exit(0);
    });
  }
}

export type { Services };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
