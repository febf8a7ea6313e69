DROP INDEX "grants_beneficiary_idx";--> statement-breakpoint
DROP INDEX "proposals_created_idx";--> statement-breakpoint
DROP INDEX "votes_voter_idx";--> statement-breakpoint
CREATE INDEX "grants_revoked_idx" ON "grants" USING btree ("grant_id") WHERE "grants"."revoked_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "members_role_status_idx" ON "members" USING btree ("role","status","member_index");--> statement-breakpoint
CREATE INDEX "members_partner_since_idx" ON "members" USING btree ("partner_since") WHERE "members"."partner_since" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "practice_member_history_account_idx" ON "practice_member_history" USING btree ("account","practice_id","block_number","log_index");--> statement-breakpoint
CREATE INDEX "practices_lead_idx" ON "practices" USING btree ("lead");--> statement-breakpoint
CREATE INDEX "practices_status_idx" ON "practices" USING btree ("status","slug");--> statement-breakpoint
CREATE INDEX "proposal_actions_intent_idx" ON "proposal_actions" USING btree ("intent","proposal_id");--> statement-breakpoint
CREATE INDEX "proposals_proposer_idx" ON "proposals" USING btree ("proposer","created_block","proposal_id");--> statement-breakpoint
CREATE INDEX "proposals_open_idx" ON "proposals" USING btree ("created_block","proposal_id") WHERE "proposals"."executed_at" IS NULL AND "proposals"."canceled_at" IS NULL;--> statement-breakpoint
CREATE INDEX "raw_events_time_idx" ON "raw_events" USING btree ("chain_id","block_timestamp","block_number");--> statement-breakpoint
CREATE INDEX "grants_beneficiary_idx" ON "grants" USING btree ("beneficiary","grant_id");--> statement-breakpoint
CREATE INDEX "proposals_created_idx" ON "proposals" USING btree ("created_block","proposal_id");--> statement-breakpoint
CREATE INDEX "votes_voter_idx" ON "votes" USING btree ("voter","proposal_id");