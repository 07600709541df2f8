CREATE TYPE "public"."account_code_purpose" AS ENUM('REGISTER', 'VERIFY_PHONE', 'VERIFY_EMAIL', 'RESET_PASSWORD');--> statement-breakpoint
CREATE TABLE "account_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purpose" "account_code_purpose" NOT NULL,
	"recipient" text NOT NULL,
	"secret_hash" text NOT NULL,
	"account_id" uuid,
	"registration" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "phone_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "account_codes" ADD CONSTRAINT "account_codes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_codes_recipient_idx" ON "account_codes" USING btree ("recipient","purpose","created_at");--> statement-breakpoint
CREATE INDEX "account_codes_secret_idx" ON "account_codes" USING btree ("secret_hash");