CREATE TABLE "mentorship_offers" (
	"mentor" text NOT NULL,
	"mentee" text NOT NULL,
	"offered_at" bigint NOT NULL,
	"open" boolean NOT NULL,
	"closed_at" bigint,
	"updated_block" bigint NOT NULL,
	CONSTRAINT "mentorship_offers_mentor_mentee_pk" PRIMARY KEY("mentor","mentee")
);
--> statement-breakpoint
CREATE TABLE "mentorships" (
	"mentee" text PRIMARY KEY NOT NULL,
	"mentor" text NOT NULL,
	"since" bigint NOT NULL,
	"ended_at" bigint,
	"ended_by" text,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"member" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"skills" text[] NOT NULL,
	"work_mode" text NOT NULL,
	"region" text,
	"city" text,
	"latitude" double precision,
	"longitude" double precision,
	"radius_km" integer NOT NULL,
	"contact_url" text,
	"content_hash" text NOT NULL,
	"live" boolean NOT NULL,
	"updated_at" bigint NOT NULL,
	"cleared_at" bigint,
	"cleared_by" text,
	"cleared_reason" text,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "mentorship_offers_mentee_idx" ON "mentorship_offers" USING btree ("mentee");--> statement-breakpoint
CREATE INDEX "mentorships_mentor_idx" ON "mentorships" USING btree ("mentor") WHERE "mentorships"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX "profiles_location_idx" ON "profiles" USING btree ("latitude","longitude") WHERE "profiles"."live" AND "profiles"."latitude" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "profiles_region_idx" ON "profiles" USING btree ("region") WHERE "profiles"."live";