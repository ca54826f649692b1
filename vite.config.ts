import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from file:// (Electron) and from the browser host: relative paths,
// ES workers (Monaco), nothing from a CDN.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
  },
});
