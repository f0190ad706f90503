import type { VitePluginConfig } from "@remix-run/dev";

/** Remix Vite plugin options. Remix itself does not read this file under Vite: vite.config.ts imports it. */
export const remixConfig: VitePluginConfig = {
  appDirectory: "app",
  // HARMONY_BUILD_DIR lets several people (or test runs) build side by side in one checkout (README "Tests").
  buildDirectory: process.env.HARMONY_BUILD_DIR || "build",
  serverModuleFormat: "esm",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
