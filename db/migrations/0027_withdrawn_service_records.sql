ALTER TYPE "public"."service_record_status" ADD VALUE 'WITHDRAWN';--> statement-breakpoint
DROP INDEX "service_records_one_per_activity";--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_one_per_activity" ON "service_records" USING btree ("org_id","activity_id","member_id") WHERE "service_records"."activity_id" is not null and "service_records"."status" in ('PENDING', 'APPROVED');