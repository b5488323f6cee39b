import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web UI's build: `npm run build` writes dist/web (index.html and hashed files under assets/),
 * which the server serves at / (src/http/web.ts). `npx vite --config web/vite.config.ts` serves it
 * for development with the API proxied to a server on :8070.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // The libraries change less often than the app: a separate file stays cached across releases.
        manualChunks: { vendor: ['react', 'react-dom', 'react-router', '@tanstack/react-query', '@tanstack/react-table', '@tanstack/react-virtual'], mantine: ['@mantine/core', '@mantine/hooks'] },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8070', '/ui': 'http://localhost:8070' } },
});
