/**
 * SQL fragments the repositories share.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * `column = any($1::type[])`: drizzle's `inArray` with the values as one
 * array parameter instead of one parameter each. A list of 50 ids is then one
 * statement text whatever its length (one prepared statement per connection,
 * not one per length), and drizzle types one parameter instead of 50 (its
 * per-parameter work was most of building a loader's query, profiled).
 */
export function isAnyOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param(values)}::${sql.raw(column.getSQLType())}[])`;
}
