CREATE TABLE "book_movements" (
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"kind" text NOT NULL,
	"direction" text NOT NULL,
	"month" integer NOT NULL,
	"practice_id" text NOT NULL,
	"token" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"counterparty" text,
	"reference" text,
	"memo" text,
	"repeated_reference" boolean NOT NULL,
	"budget_id" numeric(78, 0),
	"spender" text,
	"proposal_id" numeric(78, 0),
	"pool_id" numeric(78, 0),
	CONSTRAINT "book_movements_block_number_log_index_pk" PRIMARY KEY("block_number","log_index")
);
--> statement-breakpoint
CREATE TABLE "book_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"allowed" boolean NOT NULL,
	"symbol" text,
	"decimals" integer,
	"changed_at" bigint NOT NULL,
	"proposal_id" numeric(78, 0),
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budget_spending" (
	"budget_id" numeric(78, 0) NOT NULL,
	"period" integer NOT NULL,
	"spent" numeric(78, 0) NOT NULL,
	"updated_block" bigint NOT NULL,
	CONSTRAINT "budget_spending_budget_id_period_pk" PRIMARY KEY("budget_id","period")
);
--> statement-breakpoint
CREATE TABLE "budgets" (
	"budget_id" numeric(78, 0) PRIMARY KEY NOT NULL,
	"practice_id" text NOT NULL,
	"token" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"cadence" text NOT NULL,
	"rollover" boolean NOT NULL,
	"revoked" boolean NOT NULL,
	"spenders" text[] NOT NULL,
	"start_period" integer NOT NULL,
	"set_at" bigint NOT NULL,
	"set_tx" text NOT NULL,
	"proposal_id" numeric(78, 0),
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "period_closes" (
	"month" integer NOT NULL,
	"token" text NOT NULL,
	"net" numeric(78, 0) NOT NULL,
	"to_practices" numeric(78, 0) NOT NULL,
	"lockstep" numeric(78, 0) NOT NULL,
	"carried_loss" numeric(78, 0) NOT NULL,
	"closed_at" bigint NOT NULL,
	"closed_block" bigint NOT NULL,
	"closed_tx" text NOT NULL,
	"proposal_id" numeric(78, 0),
	"distribution_id" numeric(78, 0),
	"updated_block" bigint NOT NULL,
	CONSTRAINT "period_closes_month_token_pk" PRIMARY KEY("month","token")
);
--> statement-breakpoint
CREATE TABLE "pool_claims" (
	"pool_id" numeric(78, 0) NOT NULL,
	"member" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"block_timestamp" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	CONSTRAINT "pool_claims_pool_id_member_pk" PRIMARY KEY("pool_id","member")
);
--> statement-breakpoint
CREATE TABLE "practice_pools" (
	"pool_id" numeric(78, 0) PRIMARY KEY NOT NULL,
	"month" integer NOT NULL,
	"practice_id" text NOT NULL,
	"token" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"claimed" numeric(78, 0) NOT NULL,
	"reclaimed" numeric(78, 0),
	"total_weight" integer NOT NULL,
	"lead_weight" integer NOT NULL,
	"member_weight" integer NOT NULL,
	"technician_weight" integer NOT NULL,
	"timepoint" bigint NOT NULL,
	"claim_deadline" bigint NOT NULL,
	"closed_tx" text NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profit_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"practice_share_bps" integer NOT NULL,
	"lead_weight" integer NOT NULL,
	"member_weight" integer NOT NULL,
	"technician_weight" integer NOT NULL,
	"updated_block" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "book_movements_block_idx" ON "book_movements" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "book_movements_month_idx" ON "book_movements" USING btree ("month","practice_id");--> statement-breakpoint
CREATE INDEX "book_movements_practice_idx" ON "book_movements" USING btree ("practice_id","block_number");--> statement-breakpoint
CREATE INDEX "book_movements_counterparty_idx" ON "book_movements" USING btree ("counterparty","block_number");--> statement-breakpoint
CREATE INDEX "book_movements_token_idx" ON "book_movements" USING btree ("token","block_number");--> statement-breakpoint
CREATE INDEX "book_movements_reference_idx" ON "book_movements" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "book_movements_time_idx" ON "book_movements" USING btree ("block_timestamp");--> statement-breakpoint
CREATE INDEX "budgets_practice_idx" ON "budgets" USING btree ("practice_id");--> statement-breakpoint
CREATE INDEX "pool_claims_member_idx" ON "pool_claims" USING btree ("member","block_timestamp");--> statement-breakpoint
CREATE INDEX "pool_claims_block_idx" ON "pool_claims" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "practice_pools_practice_idx" ON "practice_pools" USING btree ("practice_id","month");--> statement-breakpoint
CREATE INDEX "practice_pools_month_idx" ON "practice_pools" USING btree ("month");