ALTER TABLE "webhook_endpoints" ADD COLUMN "name" text;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_endpoints_name_idx" ON "webhook_endpoints" USING btree ("name");