import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { remixConfig } from "./remix.config";

export default defineConfig({
  plugins: [remix(remixConfig)],
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  optimizeDeps: {
    include: ["react", "react-dom", "react-dom/client", "i18next", "react-i18next"],
    exclude: ["@duckdb/duckdb-wasm"],
  },
  build: { target: "es2022" },
});
