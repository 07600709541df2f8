export * from './schema/index.ts';
export * from './client.ts';
export * from './tenant.ts';
export * from './errors.ts';
export { waitForPostgres, type WaitForPostgresOptions } from './wait.ts';
export { migratePostgres, migrationsFolder, newestMigrationMillis } from './migrate.ts';
export { rowLevelSecurityProblem } from './role-check.ts';
