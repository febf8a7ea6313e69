import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./db.ts";
import { queryRows } from "./sql.ts";

describe("a PGlite database", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createDatabase();
  });
  afterAll(() => db.close());

  const setting = async (name: string) =>
    (await queryRows<{ value: string }>(db, sql`SELECT current_setting(${name}) AS value`))[0]?.value;

  it("starts with the settings that bound its memory and its writes (see PGLITE_START_PARAMS)", async () => {
    expect(db.driver).toBe("pglite");
    expect(await setting("shared_buffers")).toBe("16MB");
    expect(await setting("wal_init_zero")).toBe("off");
  });
});
