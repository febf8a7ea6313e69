// `firm prove`: a technician answers a client's presence challenge from the terminal, against the
// real dev stack of `npm start` (chain, indexer, API: scripts/start/devStack.ts), each command a child
// process signing with an unlocked dev account (--as). The challenges are issued as the client's page
// issues them (the presenceChallenge mutation), and each printed proof is checked by the API's own
// verifyPresence. In the demo firm, #3 leads phones and #9 was never admitted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeProof } from "../../api/web/public/presenceProof.js";
import { type DevStack, startDevStack } from "../../scripts/start/devStack.ts";
import { expectExit, type FirmResult, firmAt } from "./support/runFirm.ts";

const SLOW = 600_000;
const dir = mkdtempSync(join(tmpdir(), "firm-cli-prove-"));
let stack: DevStack;
let firm: (...args: string[]) => Promise<FirmResult>;

beforeAll(async () => {
  stack = await startDevStack({
    rpcPort: 0,
    apiPort: 0,
    dataDir: join(dir, "mirror"),
    manifestPath: join(dir, "dev.json"),
  });
  firm = firmAt({
    RPC_URL: stack.rpcUrl,
    FIRM_API_URL: stack.graphqlUrl,
    DEPLOYMENT: stack.manifestPath,
    FIRM_KEYSTORE: undefined,
    FIRM_KEYSTORE_PASSWORD: undefined,
  });
}, SLOW);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: a GraphQL answer is typed by its query.
async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(stack.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A challenge as the client's page issues it. */
async function issue(practice: string): Promise<{ code: string; origin: string }> {
  return (
    await graphql(`mutation($p: String!) { presenceChallenge(practice: $p) { code origin } }`, {
      p: practice,
    })
  ).presenceChallenge;
}

async function verify(message: string, signature: string, challenge: string) {
  return (
    await graphql(
      `query($m: String!, $s: String!, $c: String) { verifyPresence(message: $m, signature: $s, challenge: $c) {
        verified reason role practiceRole address } }`,
      { m: message, s: signature, c: challenge },
    )
  ).verifyPresence;
}

interface Proved {
  code: string;
  practice: string;
  address: string;
  origin: string;
  link: string;
  message: string;
  signature: string;
  expiresAt: number;
}

describe("firm prove", () => {
  it(
    "signs the challenge's message, and the client's API verifies the proof once",
    async () => {
      const challenge = await issue("phones");
      const proved = expectExit(
        await firm(
          "prove",
          "--as",
          "3",
          "--practice",
          "phones",
          "--code",
          challenge.code.toLowerCase(),
          "--json",
        ),
        0,
      ).json<Proved>();
      const partner3 = stack.accounts.partners[2].address.toLowerCase();
      expect(proved).toMatchObject({ code: challenge.code, practice: "phones", address: partner3 });
      expect(proved.origin).toBe(challenge.origin);
      expect(proved.message).toContain(`Nonce: ${challenge.code.replace("-", "")}`);
      expect(decodeProof(proved.link)).toEqual({
        code: challenge.code.replace("-", ""),
        address: partner3,
        signature: proved.signature,
      });
      expect(proved.link.startsWith(`${challenge.origin}/presence?proof=`)).toBe(true);

      expect(await verify(proved.message, proved.signature, challenge.code)).toMatchObject({
        verified: true,
        role: "PARTNER",
        practiceRole: "LEAD",
        address: partner3,
      });
      // The code is used now: proving again is refused before signing.
      const again = expectExit(
        await firm("prove", "--as", "3", "--practice", "phones", "--code", challenge.code),
        2,
      );
      expect(again.stderr).toContain(`Code ${challenge.code} has been answered already`);
    },
    SLOW,
  );

  it(
    "prints the link and a QR code of it for a person, with --api given as the API's origin",
    async () => {
      const challenge = await issue("phones");
      const result = expectExit(
        await firm(
          "prove",
          "--as",
          "5",
          "--practice",
          "phones",
          "--code",
          challenge.code,
          "--api",
          challenge.origin,
        ),
        0,
      );
      expect(result.stdout).toContain(`Proof of presence for practice phones, code ${challenge.code}`);
      expect(result.stdout).toMatch(/[▀▄█]{10,}/);
      const link = result.stdout
        .split("\n")
        .find((line) => line.startsWith(`${challenge.origin}/presence?proof=`));
      expect(link).toBeDefined();
      expect(link?.length).toBeLessThan(260);
      expect(result.stdout).toMatch(/It expires at .* UTC \(in (9m|10m)/);
    },
    SLOW,
  );

  it(
    "lets a non-member sign, and the client's API says no (NOT_MEMBER)",
    async () => {
      const challenge = await issue("phones");
      const proved = expectExit(
        await firm("prove", "--as", "9", "--practice", "phones", "--code", challenge.code, "--json"),
        0,
      ).json<Proved>();
      expect(await verify(proved.message, proved.signature, challenge.code)).toMatchObject({
        verified: false,
        reason: "NOT_MEMBER",
      });
    },
    SLOW,
  );

  it(
    "refuses a bad code, an unknown code, another practice's code and a missing option with exit 2",
    async () => {
      const bad = expectExit(await firm("prove", "--as", "3", "--practice", "phones", "--code", "7KQ2"), 2);
      expect(bad.stderr).toContain('--code "7KQ2" is not a challenge code');
      expect(bad.stderr).toContain("8 characters of 0-9 and A-Z");

      const unknown = expectExit(
        await firm("prove", "--as", "3", "--practice", "phones", "--code", "ZZZZ-ZZZZ", "--json"),
        2,
      ).json<{ ok: boolean; error: string }>();
      expect(unknown.ok).toBe(false);
      expect(unknown.error).toContain('No presence challenge "ZZZZ-ZZZZ"');

      const challenge = await issue("phones");
      const other = expectExit(
        await firm("prove", "--as", "3", "--practice", "cloud", "--code", challenge.code),
        2,
      );
      expect(other.stderr).toContain(`Code ${challenge.code} asks for practice phones, not cloud`);

      const missing = expectExit(await firm("prove", "--as", "3", "--practice", "phones"), 2);
      expect(missing.stderr).toContain("--code is required");
      expect(missing.stderr).toContain("Usage: firm prove --practice <slug> --code <code>");
    },
    SLOW,
  );
});
