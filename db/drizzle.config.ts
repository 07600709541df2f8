import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  // Policies name the application role; drizzle-kit must not try to create or drop it (migration 0000 does).
  entities: { roles: false },
});
