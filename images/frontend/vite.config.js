// Vite build for the Todo Chatbot SPA: plain JavaScript, one entry (index.html), output in dist/.
import { defineConfig } from "vite";

export default defineConfig({
  build: {
    outDir: "dist",
    // No data: URLs: the Content-Security-Policy nginx sends allows only 'self'.
    assetsInlineLimit: 0,
    // One entry and no dynamic imports: the modulepreload polyfill would be dead code.
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: "es2020",
  },
  server: {
    // `npm run dev` talks to a backend on this machine, as nginx does in the image.
    proxy: { "/api": process.env.BACKEND_URL || "http://127.0.0.1:8000" },
  },
});
