import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Built into build/static/console; Envoy serves it at /console/ (gateway/static.lua):
// hashed names under assets/ are cached for a year, index.html is revalidated every time.
export default defineConfig({
  base: "/console/",
  plugins: [react(), tailwindcss()],
  build: {
    outDir: "../build/static/console",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    // No data: URIs: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
  },
});
