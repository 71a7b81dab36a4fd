import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * The entry (src/main.tsx) is small and imports the app (src/root.tsx) and the reader's dictionary
 * at once. index.html names only the entry, so without this the app chunk would be requested only
 * once the entry ran; preloading it (and what it imports) lets all of it download in parallel with
 * the entry, and the dictionary as soon as the entry arrives.
 */
function preloadApp(): Plugin {
  return {
    name: 'shiori:preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        if (!bundle) return;
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const app = chunks.find((c) => c.facadeModuleId === fileURLToPath(new URL('src/root.tsx', import.meta.url)));
        if (!app) throw new Error('vite.config.ts: the app chunk (src/root.tsx) is missing from the build');
        const files = new Set<string>();
        const visit = (name: string) => {
          if (files.has(name)) return;
          files.add(name);
          for (const imported of chunks.find((c) => c.fileName === name)?.imports ?? []) visit(imported);
        };
        visit(app.fileName);
        return [...files]
          .filter((file) => !html.includes(`"/${file}"`))
          .map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

// The dashboard, built into dist/web (served by src/modules/web). Dev: `npx vite web` proxies the API.
export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [react(), preloadApp()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No inline data: URLs for assets: the Content-Security-Policy allows only this origin.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        // The dictionaries by a name scripts/build-web.ts finds (one of them is part of a first visit).
        chunkFileNames: (chunk) => (/[\\/]i18n[\\/](ja|en)\.ts$/.test(chunk.facadeModuleId ?? '') ? 'assets/i18n-[name]-[hash].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    proxy: { '/api': { target: process.env.SHIORI_API ?? 'http://localhost:8000', changeOrigin: false } },
  },
});
