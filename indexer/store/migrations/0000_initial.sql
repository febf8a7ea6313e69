CREATE TABLE "accounts" (
	"address" text PRIMARY KEY NOT NULL,
	"balance" numeric(78, 0) NOT NULL,
	"votes" numeric(78, 0) NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "blocks" (
	"chain_id" integer NOT NULL,
	"number" bigint NOT NULL,
	"hash" text NOT NULL,
	"parent_hash" text NOT NULL,
	"timestamp" bigint NOT NULL,
	CONSTRAINT "blocks_chain_id_number_pk" PRIMARY KEY("chain_id","number")
);
--> statement-breakpoint
CREATE TABLE "buyback_payments" (
	"account" text NOT NULL,
	"token" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "buyback_payments_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "buybacks" (
	"account" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"token" text NOT NULL,
	"price" numeric(78, 0) NOT NULL,
	"proposal_id" numeric(78, 0),
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "buybacks_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "distribution_claims" (
	"distribution_id" numeric(78, 0) NOT NULL,
	"holder" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "distribution_claims_distribution_id_holder_pk" PRIMARY KEY("distribution_id","holder")
);
--> statement-breakpoint
CREATE TABLE "distributions" (
	"distribution_id" numeric(78, 0) PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"snapshot_id" numeric(78, 0) NOT NULL,
	"supply_at_snapshot" numeric(78, 0) NOT NULL,
	"claim_deadline" bigint NOT NULL,
	"claimed" numeric(78, 0) NOT NULL,
	"claims" integer NOT NULL,
	"reclaimed" numeric(78, 0),
	"reclaimed_at" bigint,
	"created_at" bigint NOT NULL,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"proposal_id" numeric(78, 0),
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "equity_history" (
	"account" text NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"delta_balance" numeric(78, 0) NOT NULL,
	"delta_votes" numeric(78, 0) NOT NULL,
	"balance" numeric(78, 0) NOT NULL,
	"votes" numeric(78, 0) NOT NULL,
	CONSTRAINT "equity_history_account_block_number_log_index_pk" PRIMARY KEY("account","block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "equity_snapshots" (
	"snapshot_id" numeric(78, 0) PRIMARY KEY NOT NULL,
	"total_supply" numeric(78, 0) NOT NULL,
	"taken_at" bigint NOT NULL,
	"block_number" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "governance_settings" (
	"id" text PRIMARY KEY NOT NULL,
	"voting_delay" bigint,
	"voting_period" bigint,
	"grace_period" bigint,
	"equity_quorum_bps" integer,
	"headcount_quorum_bps" integer,
	"timelock_delay" bigint,
	"claim_window" bigint,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"grant_id" numeric(78, 0) PRIMARY KEY NOT NULL,
	"beneficiary" text NOT NULL,
	"units" numeric(78, 0) NOT NULL,
	"start_at" bigint NOT NULL,
	"cliff_end" bigint NOT NULL,
	"end_at" bigint NOT NULL,
	"released" numeric(78, 0) NOT NULL,
	"revoked_at" bigint,
	"forfeited" numeric(78, 0),
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"created_proposal_id" numeric(78, 0),
	"revoked_proposal_id" numeric(78, 0),
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leaves" (
	"leave_id" bigint PRIMARY KEY NOT NULL,
	"partner" text NOT NULL,
	"cover" text NOT NULL,
	"from_at" bigint NOT NULL,
	"until_at" bigint NOT NULL,
	"ended_at" bigint,
	"declared_block" bigint NOT NULL,
	"declared_tx" text NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_history" (
	"address" text NOT NULL,
	"member_index" integer NOT NULL,
	"role" text NOT NULL,
	"status" text NOT NULL,
	"admitted_at" bigint NOT NULL,
	"admission_block" bigint NOT NULL,
	"admission_tx" text NOT NULL,
	"admission_proposal_id" numeric(78, 0),
	"partner_since" bigint,
	"partner_until" bigint,
	"leave_id" bigint,
	"leave_cover" text,
	"leave_from" bigint,
	"leave_until" bigint,
	"departed_at" bigint,
	"departure_proposal_id" numeric(78, 0),
	"successor" text,
	"updated_block" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "member_history_address_block_number_log_index_pk" PRIMARY KEY("address","block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"address" text NOT NULL,
	"member_index" integer NOT NULL,
	"role" text NOT NULL,
	"status" text NOT NULL,
	"admitted_at" bigint NOT NULL,
	"admission_block" bigint NOT NULL,
	"admission_tx" text NOT NULL,
	"admission_proposal_id" numeric(78, 0),
	"partner_since" bigint,
	"partner_until" bigint,
	"leave_id" bigint,
	"leave_cover" text,
	"leave_from" bigint,
	"leave_until" bigint,
	"departed_at" bigint,
	"departure_proposal_id" numeric(78, 0),
	"successor" text,
	"updated_block" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "members_address_pk" PRIMARY KEY("address")
);
--> statement-breakpoint
CREATE TABLE "mirror_state" (
	"chain_id" integer PRIMARY KEY NOT NULL,
	"contracts" jsonb NOT NULL,
	"start_block" bigint NOT NULL,
	"checkpoint_block" bigint,
	"checkpoint_hash" text,
	"pruned_through" bigint,
	"revision" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practice_history" (
	"practice_id" text NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"lead" text NOT NULL,
	"status" text NOT NULL,
	"member_count" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"created_proposal_id" numeric(78, 0),
	"sunset_at" bigint,
	"sunset_proposal_id" numeric(78, 0),
	"updated_block" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "practice_history_practice_id_block_number_log_index_pk" PRIMARY KEY("practice_id","block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "practice_member_history" (
	"practice_id" text NOT NULL,
	"account" text NOT NULL,
	"role" text NOT NULL,
	"since" bigint,
	"updated_block" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "practice_member_history_practice_id_account_block_number_log_index_pk" PRIMARY KEY("practice_id","account","block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "practice_members" (
	"practice_id" text NOT NULL,
	"account" text NOT NULL,
	"role" text NOT NULL,
	"since" bigint,
	"updated_block" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "practice_members_practice_id_account_pk" PRIMARY KEY("practice_id","account")
);
--> statement-breakpoint
CREATE TABLE "practices" (
	"practice_id" text NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"lead" text NOT NULL,
	"status" text NOT NULL,
	"member_count" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"created_proposal_id" numeric(78, 0),
	"sunset_at" bigint,
	"sunset_proposal_id" numeric(78, 0),
	"updated_block" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "practices_practice_id_pk" PRIMARY KEY("practice_id")
);
--> statement-breakpoint
CREATE TABLE "proposal_actions" (
	"proposal_id" numeric(78, 0) NOT NULL,
	"action_index" integer NOT NULL,
	"target" text NOT NULL,
	"value" numeric(78, 0) NOT NULL,
	"calldata" text NOT NULL,
	"intent" text NOT NULL,
	"args" jsonb NOT NULL,
	"summary" text NOT NULL,
	"block_number" bigint NOT NULL,
	CONSTRAINT "proposal_actions_proposal_id_action_index_pk" PRIMARY KEY("proposal_id","action_index")
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"proposal_id" numeric(78, 0) PRIMARY KEY NOT NULL,
	"proposer" text NOT NULL,
	"description" text NOT NULL,
	"title" text NOT NULL,
	"snapshot" bigint NOT NULL,
	"vote_start" bigint NOT NULL,
	"vote_end" bigint NOT NULL,
	"equity_quorum_bps" integer NOT NULL,
	"headcount_quorum_bps" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"created_block" bigint NOT NULL,
	"created_tx" text NOT NULL,
	"queued_at" bigint,
	"eta" bigint,
	"queued_tx" text,
	"executed_at" bigint,
	"executed_block" bigint,
	"executed_tx" text,
	"canceled_at" bigint,
	"canceled_tx" text,
	"for_equity" numeric(78, 0) NOT NULL,
	"against_equity" numeric(78, 0) NOT NULL,
	"abstain_equity" numeric(78, 0) NOT NULL,
	"for_heads" integer NOT NULL,
	"against_heads" integer NOT NULL,
	"abstain_heads" integer NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "raw_events" (
	"chain_id" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_hash" text NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"tx_index" integer NOT NULL,
	"address" text NOT NULL,
	"contract" text NOT NULL,
	"event_name" text NOT NULL,
	"args" jsonb NOT NULL,
	CONSTRAINT "raw_events_chain_id_block_number_log_index_pk" PRIMARY KEY("chain_id","block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "recusals" (
	"proposal_id" numeric(78, 0) NOT NULL,
	"subject" text NOT NULL,
	"block_number" bigint NOT NULL,
	CONSTRAINT "recusals_proposal_id_subject_pk" PRIMARY KEY("proposal_id","subject")
);
--> statement-breakpoint
CREATE TABLE "setting_changes" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"contract" text NOT NULL,
	"parameter" text NOT NULL,
	"old_value" numeric(78, 0) NOT NULL,
	"new_value" numeric(78, 0) NOT NULL,
	"proposal_id" numeric(78, 0),
	CONSTRAINT "setting_changes_block_number_log_index_parameter_pk" PRIMARY KEY("block_number","log_index","parameter")
);
--> statement-breakpoint
CREATE TABLE "treasury_flows" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"direction" text NOT NULL,
	"kind" text NOT NULL,
	"token" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"counterparty" text NOT NULL,
	"proposal_id" numeric(78, 0),
	CONSTRAINT "treasury_flows_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "undo_log" (
	"block_number" bigint NOT NULL,
	"seq" integer NOT NULL,
	"table_name" text NOT NULL,
	"row_key" text NOT NULL,
	"previous" json,
	CONSTRAINT "undo_log_block_number_seq_pk" PRIMARY KEY("block_number","seq")
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"proposal_id" numeric(78, 0) NOT NULL,
	"voter" text NOT NULL,
	"cast_by" text NOT NULL,
	"support" text NOT NULL,
	"weight" numeric(78, 0) NOT NULL,
	"headcount" smallint NOT NULL,
	"reason" text NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "votes_proposal_id_voter_pk" PRIMARY KEY("proposal_id","voter")
);
--> statement-breakpoint
CREATE INDEX "distribution_claims_block_idx" ON "distribution_claims" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "equity_history_block_idx" ON "equity_history" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "equity_history_time_idx" ON "equity_history" USING btree ("block_timestamp");--> statement-breakpoint
CREATE INDEX "grants_beneficiary_idx" ON "grants" USING btree ("beneficiary");--> statement-breakpoint
CREATE INDEX "member_history_block_idx" ON "member_history" USING btree ("block_number");--> statement-breakpoint
CREATE UNIQUE INDEX "members_index_idx" ON "members" USING btree ("member_index");--> statement-breakpoint
CREATE INDEX "practice_history_block_idx" ON "practice_history" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "practice_member_history_block_idx" ON "practice_member_history" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "practice_members_account_idx" ON "practice_members" USING btree ("account");--> statement-breakpoint
CREATE UNIQUE INDEX "practices_slug_idx" ON "practices" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "proposals_created_idx" ON "proposals" USING btree ("created_block");--> statement-breakpoint
CREATE INDEX "undo_log_table_idx" ON "undo_log" USING btree ("table_name");--> statement-breakpoint
CREATE INDEX "votes_voter_idx" ON "votes" USING btree ("voter");--> statement-breakpoint
CREATE INDEX "votes_block_idx" ON "votes" USING btree ("block_number");