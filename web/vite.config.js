/**
 * Vite's build of the web app: a static site in dist/ with relative asset paths, so it can be
 * served from any folder or port.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
  },
});
