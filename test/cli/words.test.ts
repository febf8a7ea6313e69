// One vocabulary for statuses: the CLI, the API and the page say a member's status and why an
// account is not a member of a practice with api/web/public/words.js, and none words it on its own.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  asSentence,
  hasLeftTheFirm,
  memberStatusWords,
  notMemberClause,
} from "../../api/web/public/words.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(ts|js)$/.test(file) && !/\.test\.ts$|\.d\.ts$/.test(file))
    .map((file) => join(dir, file));
}

describe("status words", () => {
  it("reads either spelling of a status: the API's (ON_LEAVE) and the contract's (OnLeave)", () => {
    expect(memberStatusWords("ON_LEAVE")).toBe("on leave");
    expect(memberStatusWords("OnLeave")).toBe("on leave");
    expect(memberStatusWords("Retired")).toBe(memberStatusWords("RETIRED"));
    expect([hasLeftTheFirm("Retired"), hasLeftTheFirm("REMOVED"), hasLeftTheFirm("OnLeave")]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it("says why an account is not a member of a practice, in the order the registry decides it", () => {
    const record = {
      slug: "cloud",
      practiceStatus: "Active",
      memberStatus: "Active",
      practiceRole: "Member",
    };
    expect(notMemberClause(record)).toBeNull();
    expect(notMemberClause({ ...record, practiceStatus: "None", memberStatus: "Retired" })).toBe(
      'there is no practice "cloud"',
    );
    expect(notMemberClause({ ...record, practiceStatus: "SUNSET" })).toBe('the practice "cloud" is sunset');
    expect(notMemberClause({ ...record, memberStatus: "NONE", practiceRole: "NONE" })).toBe(
      "the account is not a member of the firm",
    );
    expect(asSentence(notMemberClause({ ...record, memberStatus: "RETIRED" }) as string)).toBe(
      "The account has left the firm (retired).",
    );
    expect(notMemberClause({ ...record, memberStatus: "OnLeave", practiceRole: "None" })).toBe(
      'the account is a member of the firm but has no seat in "cloud"',
    );
  });

  it("is the only place the CLI, the API and the page word a departure", () => {
    const files = [...sources("scripts/cli"), ...sources("api")].filter((file) => !file.endsWith("words.js"));
    const own = files.filter((file) =>
      /member is \$\{|is (retired|removed)\b|left the firm \((Retired|Removed|\$\{(?!memberStatusWords))/.test(
        readFileSync(join(ROOT, file), "utf8"),
      ),
    );
    expect(own.map((file) => relative(ROOT, join(ROOT, file)))).toEqual([]);
    for (const user of [
      "api/verifyMembership.ts",
      "api/web/public/verify.js",
      "scripts/cli/verify.ts",
      "scripts/cli/ragequit.ts",
      "api/web/public/revertWords.js",
    ]) {
      expect(readFileSync(join(ROOT, user), "utf8")).toMatch(/from "[./]+(api\/)?(web\/public\/)?words\.js"/);
    }
  });
});
