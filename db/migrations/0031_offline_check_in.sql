ALTER TABLE "sign_ups" ADD COLUMN "check_in_received_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sign_ups" ADD COLUMN "check_out_received_at" timestamp with time zone;