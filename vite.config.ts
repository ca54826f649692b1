import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { cspMetaTag, metaContentSecurityPolicy } from './shared/api/csp.ts';

/**
 * The CSP also as a `<meta http-equiv>` in the built `index.html`: Electron loads the page from
 * file://, where the response header is not applied everywhere. Build only: the dev server's
 * hot reload needs inline scripts the policy forbids.
 */
function cspMeta(): Plugin {
  return {
    name: 'lockstep-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      // Right after the charset, which must come first.
      handler: (html) => {
        const tag = cspMetaTag(metaContentSecurityPolicy());
        return /<meta charset=[^>]*>/i.test(html) ? html.replace(/(<meta charset=[^>]*>)/i, `$1\n    ${tag}`) : html.replace(/<head>/i, `<head>\n    ${tag}`);
      },
    },
  };
}

// The renderer is served from file:// (Electron) and from the browser host: relative paths,
// ES workers (Monaco), nothing from a CDN.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMeta()],
  worker: { format: 'es' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
  },
});
