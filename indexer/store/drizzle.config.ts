// drizzle-kit's configuration: generates the mirror's SQL migrations from schema.ts.
// Run from the repository root: `npx drizzle-kit generate --config indexer/store/drizzle.config.ts`.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./indexer/store/schema.ts",
  out: "./indexer/store/migrations",
});
