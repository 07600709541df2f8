CREATE TYPE "public"."party_stage" AS ENUM('ACTIVIST', 'CANDIDATE');--> statement-breakpoint
CREATE TYPE "public"."political_status" AS ENUM('CPC_MEMBER', 'CPC_PROBATIONARY_MEMBER', 'CYL_MEMBER', 'RCCK_MEMBER', 'CDL_MEMBER', 'CNDCA_MEMBER', 'CAPD_MEMBER', 'CPWDP_MEMBER', 'CZGP_MEMBER', 'JIUSAN_MEMBER', 'TDSGL_MEMBER', 'NON_PARTY', 'MASSES');--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "political_status" "political_status" DEFAULT 'MASSES' NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "party_stage" "party_stage";--> statement-breakpoint
ALTER TABLE "roster_import_rows" ADD COLUMN "problem_values" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "roster_import_rows" ADD COLUMN "source_cells" text[];--> statement-breakpoint
ALTER TABLE "roster_imports" ADD COLUMN "header_row" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "roster_imports" ADD COLUMN "header_cells" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "roster_imports" ADD COLUMN "ignored_columns" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "roster_imports" ADD COLUMN "id_number_column" text;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_party_stage_outside_party" CHECK ("members"."party_stage" is null or "members"."political_status" not in ('CPC_MEMBER', 'CPC_PROBATIONARY_MEMBER'));--> statement-breakpoint
-- The three categories become a GB/T 4762 status and a party-development stage, without loss:
-- 党员 → 中共党员; 入党积极分子 → 群众 at the stage 入党积极分子; 群众 → 群众.
UPDATE "members" SET
  "political_status" = CASE "category" WHEN 'PARTY_MEMBER' THEN 'CPC_MEMBER'::political_status ELSE 'MASSES'::political_status END,
  "party_stage" = CASE "category" WHEN 'ACTIVIST' THEN 'ACTIVIST'::party_stage END;--> statement-breakpoint
-- Previews made before this migration name the column by its new field.
UPDATE "roster_import_rows" SET "cells" = ("cells" - 'category') || jsonb_build_object('politicalStatus', "cells"->'category')
  WHERE "cells" ? 'category';--> statement-breakpoint
UPDATE "roster_imports" SET "columns" = array_replace("columns", 'category', 'politicalStatus')
  WHERE 'category' = ANY ("columns");--> statement-breakpoint
ALTER TABLE "members" DROP COLUMN "category";--> statement-breakpoint
DROP TYPE "public"."member_category";
