CREATE TABLE "member_withdrawals" (
	"account" text NOT NULL,
	"units" numeric(78, 0) NOT NULL,
	"total_units" numeric(78, 0) NOT NULL,
	"withdrawn_at" bigint NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "member_withdrawals_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "proposal_rules" (
	"rule_index" integer PRIMARY KEY NOT NULL,
	"since" bigint NOT NULL,
	"equity_quorum_bps" integer NOT NULL,
	"headcount_quorum_bps" integer NOT NULL,
	"expulsion_equity_bps" integer NOT NULL,
	"expulsion_headcount_bps" integer NOT NULL,
	"grace_period" bigint NOT NULL,
	"scheduled_block" bigint NOT NULL,
	"scheduled_tx" text NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "treasury_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"listed" boolean NOT NULL,
	"changed_at" bigint NOT NULL,
	"changed_block" bigint NOT NULL,
	"proposal_id" numeric(78, 0),
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "withdrawal_payments" (
	"member" text NOT NULL,
	"token" text NOT NULL,
	"kind" text NOT NULL,
	"amount" numeric(78, 0),
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "withdrawal_payments_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
ALTER TABLE "practice_history" ALTER COLUMN "lead" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "practices" ALTER COLUMN "lead" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "governance_settings" ADD COLUMN "expulsion_equity_bps" integer;--> statement-breakpoint
ALTER TABLE "governance_settings" ADD COLUMN "expulsion_headcount_bps" integer;--> statement-breakpoint
ALTER TABLE "governance_settings" ADD COLUMN "min_leave" bigint;--> statement-breakpoint
ALTER TABLE "governance_settings" ADD COLUMN "leave_cooldown" bigint;--> statement-breakpoint
ALTER TABLE "leaves" ADD COLUMN "cover_accepted_at" bigint;--> statement-breakpoint
ALTER TABLE "leaves" ADD COLUMN "cover_ended_at" bigint;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "rule_index" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "expulsion_equity_bps" integer DEFAULT 7500 NOT NULL;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "expulsion_headcount_bps" integer DEFAULT 7500 NOT NULL;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "grace_period" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "supermajority" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "moves_funds" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "subject" text;--> statement-breakpoint
CREATE INDEX "member_withdrawals_account_idx" ON "member_withdrawals" USING btree ("account");--> statement-breakpoint
CREATE INDEX "withdrawal_payments_member_idx" ON "withdrawal_payments" USING btree ("member","token");