import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));

// The tiny second entry (see bootFirst).
const boot = fileURLToPath(new URL('src/boot.ts', import.meta.url));

/**
 * index.html runs src/boot.ts (a second entry, a few hundred bytes) before the app: it starts the
 * reader's dictionary at once, so it downloads beside the app's chunks rather than after them
 * (the app, src/main.tsx, could only ask for it once all of its own chunks had arrived).
 */
function bootFirst(): Plugin {
  return {
    name: 'shiori:boot-first',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = Object.values(bundle ?? {}).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const entry = chunks.find((c) => c.isEntry && c.facadeModuleId === boot);
        if (!entry) throw new Error('vite.config.ts: the boot entry (src/boot.ts) is missing from the build');
        return [
          { tag: 'script', attrs: { type: 'module', crossorigin: true, src: `/${entry.fileName}` }, injectTo: 'head-prepend' as const },
          ...entry.imports.map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

// The dashboard, built into dist/web (served by src/modules/web). Dev: `npx vite web` proxies the API.
export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [react(), bootFirst()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No inline data: URLs for assets: the Content-Security-Policy allows only this origin.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { index: fileURLToPath(new URL('index.html', import.meta.url)), boot },
      output: {
        // What a first visit runs in one chunk (a few requests, not twenty: HTTP/1.1 opens six at a time),
        // except boot.ts and what it needs, which must stay small to start the dictionary at once.
        codeSplitting: {
          groups: [
            { name: 'start', test: /[\\/]i18n[\\/]dictionaries\.ts$|preload-helper/, priority: 2 },
            { name: 'app', tags: ['$initial'], test: (id) => !/boot\.ts$/.test(id), priority: 1 },
          ],
        },
        // The dictionaries by a name scripts/build-web.ts finds (one of them is part of a first visit).
        chunkFileNames: (chunk) => (/[\\/]i18n[\\/](ja|en)\.ts$/.test(chunk.facadeModuleId ?? '') ? 'assets/i18n-[name]-[hash].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    proxy: { '/api': { target: process.env.SHIORI_API ?? 'http://localhost:8000', changeOrigin: false } },
  },
});
