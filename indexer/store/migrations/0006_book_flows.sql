CREATE TABLE "book_flows" (
	"month" integer NOT NULL,
	"practice_id" text NOT NULL,
	"token" text NOT NULL,
	"revenue" numeric(78, 0) NOT NULL,
	"expenses" numeric(78, 0) NOT NULL,
	"updated_block" bigint NOT NULL,
	CONSTRAINT "book_flows_month_practice_id_token_pk" PRIMARY KEY("month","practice_id","token")
);
--> statement-breakpoint
-- A mirror indexed before this table existed: its flows from the movements it already holds, as the
-- handlers would have kept them (revenue: deposits, sweeps, reclaimed pool rests; expenses: payments).
INSERT INTO "book_flows" ("month", "practice_id", "token", "revenue", "expenses", "updated_block")
SELECT "month", "practice_id", "token",
  coalesce(sum("amount") FILTER (WHERE "kind" IN ('DEPOSIT', 'SWEEP', 'POOL_RECLAIM')), 0),
  coalesce(sum("amount") FILTER (WHERE "kind" = 'PAYMENT'), 0),
  max("block_number")
FROM "book_movements"
WHERE "kind" IN ('DEPOSIT', 'SWEEP', 'POOL_RECLAIM', 'PAYMENT')
GROUP BY "month", "practice_id", "token";
