-- Whole-association exports: what drizzle cannot say about the table of 0037.

-- Row-level security applies to the table's owner too (db/test/tenancy.test.ts checks the catalog).
ALTER TABLE "organization_exports" FORCE ROW LEVEL SECURITY;
