CREATE TABLE "notification_schedule" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"due_at" bigint NOT NULL,
	"fired_block" bigint,
	CONSTRAINT "notification_schedule_block_number_log_index_kind_pk" PRIMARY KEY("block_number","log_index","kind")
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "block_number" bigint;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "retracted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "retracts" text;--> statement-breakpoint
CREATE INDEX "notification_schedule_due_idx" ON "notification_schedule" USING btree ("due_at") WHERE "notification_schedule"."fired_block" IS NULL;--> statement-breakpoint
CREATE INDEX "notification_schedule_fired_idx" ON "notification_schedule" USING btree ("fired_block");--> statement-breakpoint
CREATE INDEX "notifications_block_idx" ON "notifications" USING btree ("block_number") WHERE "notifications"."retracted_at" IS NULL;