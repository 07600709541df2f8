import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    // In `pnpm dev` the API runs on its own port; the browser's GraphQL calls go through here.
    // ws: the lead's live view subscribes over a WebSocket on /graphql.
    proxy: { '/graphql': { target: process.env['API_URL'] ?? 'http://127.0.0.1:3001', ws: true } },
  },
});
