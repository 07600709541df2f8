/** `pnpm db:migrate`: applies the migrations to DATABASE_MIGRATION_URL, else DATABASE_URL. */
import { migratePostgres } from './migrate.ts';

const url = process.env['DATABASE_MIGRATION_URL'] || process.env['DATABASE_URL'];
if (!url) {
  console.error('DATABASE_URL is not set. (Without it the app uses PGlite and migrates it at start.)');
  process.exit(1);
}
await migratePostgres(url);
console.log('Migrations applied.');
