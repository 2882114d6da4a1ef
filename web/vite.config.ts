import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * zod compiles validators with `new Function` when it may, and probes for that as it loads; the
 * page's Content Security Policy allows no eval, so the probe would be reported as a violation.
 * zod reads its settings from `globalThis.__zod_globalConfig` when its core loads: they are set
 * at the top of that very module, so nothing can run before them (`jitless`: no compiled validators).
 */
function zodWithoutEval(): Plugin {
  return {
    name: 'zod-without-eval',
    transform(code, id) {
      if (!/[\\/]zod[\\/]v4[\\/]core[\\/]core\.js$/.test(id)) return null;
      return { code: `globalThis.__zod_globalConfig ??= { jitless: true };\n${code}`, map: null };
    },
  };
}

// `npm run dev` serves the app with hot reload and forwards /api to the server on port 3000.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), zodWithoutEval()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
