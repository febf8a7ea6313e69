// Proof of presence, attacked: every way to fake being "the member in front of you" is a test that
// the verdict refuses with its coded reason. The chain is the firm's life (indexer/testing/
// firmScenario.ts) on Hardhat's in-process chain, mirrored into PGlite (api/testing/scenarioSuite.ts);
// proofs are signed by the chain's own accounts (personal_sign), and each app here is buildApp over
// that mirror with a clock the tests move. In the scenario: the associate a1 sits in cloud, p4 leads
// it, p1 retired from it, wallet #9 was never admitted, and there is a security practice.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { type Address, getAddress, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action } from "../../../scripts/devFirm/action.ts";
import { confirmTransaction } from "../../../scripts/devFirm/confirmTransaction.ts";
import { PracticeRole, Role } from "../../../scripts/devFirm/enums.ts";
import { Governance } from "../../../scripts/devFirm/governance.ts";
import { DAY } from "../../../scripts/devFirm/time.ts";
import { type AppOptions, buildApp } from "../../app.ts";
import { type Loose, gql as post } from "../../testing/client.ts";
import { redisAnswers, TEST_REDIS_URL } from "../../testing/redis.ts";
import {
  bus,
  connection,
  db,
  mirror,
  p1,
  p2,
  p4,
  publicClient,
  scenario,
  useScenarioSuite,
} from "../../testing/scenarioSuite.ts";
import type { ChallengeRecord } from "./challenges.ts";
import { presenceMessage } from "./siwe.ts";

useScenarioSuite();

const ORIGIN = "https://firm.example";
/** What the tests add to the wall clock (the challenges' clock). */
let skewMs = 0;

function presenceApp(options: Partial<AppOptions> = {}, redis?: Redis, redisNamespace?: string) {
  return buildApp({
    db,
    manifest: scenario.manifest,
    publicClient,
    bus,
    head: async () => ({ blockNumber: Number(scenario.lastBlock) }),
    clock: () => Date.now() + skewMs,
    redis,
    redisNamespace,
    options: {
      rateLimitPerMinute: 0,
      publicOrigin: ORIGIN,
      presenceChallengesPerMinute: 0,
      ...options,
    },
  }).yoga;
}

let yoga: ReturnType<typeof presenceApp>;
let nonMember: Address;
const signers = new Map<string, { signMessage(args: { message: string }): Promise<Hex> }>();

beforeAll(async () => {
  yoga = presenceApp();
  const wallets = await connection.viem.getWalletClients();
  for (const wallet of wallets) signers.set(wallet.account.address.toLowerCase(), wallet);
  nonMember = (wallets[9] as (typeof wallets)[number]).account.address.toLowerCase() as Address;
});

async function gql(query: string, variables: Record<string, unknown> = {}, app = yoga, ip?: string) {
  return post(app, query, variables, ip ? { ip } : {});
}

const CHALLENGE = `mutation($p: String!) { presenceChallenge(practice: $p) {
  code practice origin chainId issuedAt expiresAt expiresInSeconds used answerUrl } }`;
const VERIFY = `query($m: String!, $s: String!, $c: String) { verifyPresence(message: $m, signature: $s, challenge: $c) {
  verified reason explanation address slug role practiceRole checkedAtBlock
  practice { slug } member { address role profile { displayName } } challenge { code used }
  membership { verified reason chain { isMember } } } }`;

/** Issues a challenge on `app`; returns it as the API answered. */
async function issue(practice = "cloud", app = yoga, ip?: string): Promise<Loose> {
  const { body } = await gql(CHALLENGE, { p: practice }, app, ip);
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.presenceChallenge;
}

/** The stored record behind an issued challenge, to forge variants of its message. */
function recordOf(challenge: Loose): ChallengeRecord {
  return {
    code: challenge.code.replace("-", ""),
    practice: challenge.practice,
    issuedAt: challenge.issuedAt,
    expiresAt: challenge.expiresAt,
    origin: challenge.origin,
    chainId: challenge.chainId,
  };
}

/** `signer` signs `message` with personal_sign. */
async function sign(signer: string, message: string): Promise<Hex> {
  const wallet = signers.get(signer.toLowerCase());
  if (!wallet) throw new Error(`No key for ${signer}`);
  return wallet.signMessage({ message } as never);
}

/** The proof `signer` makes for `challenge` as the API words it (messageFor). */
async function prove(challenge: Loose, signer: string, app = yoga) {
  const { body } = await gql(
    `query($c: String!, $a: String!) { presenceChallengeInfo(code: $c) { messageFor(address: $a) } }`,
    { c: challenge.code, a: signer },
    app,
  );
  const message = body.data?.presenceChallengeInfo.messageFor as string;
  return { message, signature: await sign(signer, message) };
}

async function verify(proof: { message: string; signature: string }, challenge?: string, app = yoga) {
  const { body } = await gql(VERIFY, { m: proof.message, s: proof.signature, c: challenge ?? null }, app);
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.verifyPresence;
}

describe("a valid proof", () => {
  it("is verified once, with the member's role and the live check's evidence", async () => {
    const challenge = await issue();
    expect(challenge).toMatchObject({
      code: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/),
      practice: "cloud",
      origin: ORIGIN,
      chainId: scenario.manifest.chainId,
      expiresInSeconds: 600,
      used: false,
      answerUrl: `${ORIGIN}/answer?code=${challenge.code}`,
    });
    expect(challenge.expiresAt - challenge.issuedAt).toBe(600);
    const proof = await prove(challenge, scenario.associate);
    expect(proof.message).toContain(`Nonce: ${challenge.code.replace("-", "")}`);
    expect(proof.message).toContain("- urn:msp-it-partners:practice:cloud");
    expect(proof.message.startsWith("https://firm.example wants you to sign in")).toBe(true);

    const verdict = await verify(proof, challenge.code.toLowerCase());
    expect(verdict).toMatchObject({
      verified: true,
      reason: null,
      address: scenario.associate,
      slug: "cloud",
      role: "ASSOCIATE",
      practiceRole: "MEMBER",
      practice: { slug: "cloud" },
      // The display name comes from the signer's directory profile, for the verdict to show.
      member: { address: scenario.associate, role: "ASSOCIATE", profile: { displayName: "Alex Associate" } },
      challenge: { code: challenge.code, used: true },
      membership: { verified: true, chain: { isMember: true } },
    });
    expect(verdict.checkedAtBlock).toBeGreaterThanOrEqual(Number(scenario.lastBlock));
    expect(verdict.explanation).toContain("is a member of practice cloud");
  });

  it("refuses the same proof replayed (NONCE_USED), never answering it from the response cache", async () => {
    // The app caches query responses (RESPONSE_CACHE=on, the default): the same query with the same
    // variables on the same mirror would be answered from memory, were verifyPresence not excluded.
    const challenge = await issue();
    const proof = await prove(challenge, p4);
    expect((await verify(proof)).verified).toBe(true);
    const replay = await verify(proof);
    expect(replay).toMatchObject({ verified: false, reason: "NONCE_USED", challenge: { used: true } });
    expect(replay.explanation).toContain("replay");
  });
});

describe("proofs made for something else", () => {
  it("refuses a proof made for another origin (WRONG_ORIGIN)", async () => {
    const challenge = await issue();
    const message = presenceMessage({ ...recordOf(challenge), origin: "https://evil.example" }, p4);
    const verdict = await verify({ message, signature: await sign(p4, message) });
    expect(verdict).toMatchObject({ verified: false, reason: "WRONG_ORIGIN", address: p4 });
    expect(verdict.explanation).toContain("https://evil.example");
  });

  it("refuses a proof made for another practice (WRONG_PRACTICE)", async () => {
    const challenge = await issue("cloud");
    const message = presenceMessage({ ...recordOf(challenge), practice: "security" }, p4);
    const verdict = await verify({ message, signature: await sign(p4, message) });
    expect(verdict).toMatchObject({ verified: false, reason: "WRONG_PRACTICE", slug: "security" });
  });

  it("refuses a proof for another code than the one shown (WRONG_CHALLENGE), and an invented code (NONCE_UNKNOWN)", async () => {
    const shown = await issue();
    const other = await issue();
    const proof = await prove(other, p4);
    expect(await verify(proof, shown.code)).toMatchObject({ verified: false, reason: "WRONG_CHALLENGE" });

    const invented = presenceMessage({ ...recordOf(shown), code: "ZZZZZZZZ" }, p4);
    expect(await verify({ message: invented, signature: await sign(p4, invented) })).toMatchObject({
      verified: false,
      reason: "NONCE_UNKNOWN",
    });
    // Neither refusal used the challenges up: the right proofs still pass.
    expect((await verify(proof, other.code)).verified).toBe(true);
    expect((await verify(await prove(shown, p4), shown.code)).verified).toBe(true);
  });

  it("refuses a message whose times were stretched (WRONG_CHALLENGE) and one for another chain (WRONG_CHAIN)", async () => {
    const challenge = await issue();
    const stretched = presenceMessage({ ...recordOf(challenge), expiresAt: challenge.expiresAt + DAY }, p4);
    expect(await verify({ message: stretched, signature: await sign(p4, stretched) })).toMatchObject({
      reason: "WRONG_CHALLENGE",
    });
    const otherChain = presenceMessage({ ...recordOf(challenge), chainId: 1 }, p4);
    expect(await verify({ message: otherChain, signature: await sign(p4, otherChain) })).toMatchObject({
      reason: "WRONG_CHAIN",
    });
  });

  it("refuses an expired proof (EXPIRED), even when signed in time", async () => {
    const challenge = await issue();
    const proof = await prove(challenge, p4);
    skewMs = 601_000;
    try {
      const verdict = await verify(proof);
      expect(verdict).toMatchObject({ verified: false, reason: "EXPIRED" });
      expect(verdict.explanation).toContain("expired");
    } finally {
      skewMs = 0;
    }
  });
});

describe("signers who are not the member", () => {
  it("refuses a non-member's proof (NOT_MEMBER), with the live check's reason", async () => {
    const challenge = await issue();
    const verdict = await verify(await prove(challenge, nonMember));
    expect(verdict).toMatchObject({
      verified: false,
      reason: "NOT_MEMBER",
      address: nonMember,
      member: null,
      membership: { verified: false, chain: { isMember: false } },
    });
    expect(verdict.explanation).toContain("not confirmed as a member of practice cloud");
  });

  it("refuses a retired member's proof (NOT_MEMBER): p1 once led cloud", async () => {
    const challenge = await issue();
    const verdict = await verify(await prove(challenge, p1));
    expect(verdict).toMatchObject({ verified: false, reason: "NOT_MEMBER", address: p1 });
    expect(verdict.explanation).toContain("left the firm (retired)");
  });

  it("refuses a signature over a tampered message (SIGNATURE_INVALID), without burning the challenge", async () => {
    const challenge = await issue();
    const genuine = await prove(challenge, p4);
    // The attacker holds p4's signature over an older challenge's message, and replays it on this one.
    const older = await prove(await issue(), p4);
    expect(await verify({ message: genuine.message, signature: older.signature })).toMatchObject({
      verified: false,
      reason: "SIGNATURE_INVALID",
      address: p4,
    });
    // A non-member signs a message naming the member's address.
    const forged = { message: genuine.message, signature: await sign(nonMember, genuine.message) };
    expect(await verify(forged)).toMatchObject({ reason: "SIGNATURE_INVALID" });
    expect((await verify(genuine)).verified).toBe(true);
  });

  it("refuses a cover proving presence for the partner they cover (NOT_MEMBER, SIGNATURE_INVALID)", async () => {
    // p4 (cloud's lead) goes on leave and p2 (in no practice) covers them: a cover casts p4's ballot,
    // but holds no seat in p4's practice.
    const now = Number((await publicClient.getBlock()).timestamp);
    const partnership = scenario.manifest.contracts.partnership;
    const { partnershipAbi } = await import("../../../contracts/abi.ts");
    const [wallet4, wallet2] = [signers.get(p4), signers.get(p2)] as Loose[];
    await confirmTransaction(
      publicClient,
      wallet4.writeContract({
        address: partnership,
        abi: partnershipAbi,
        functionName: "declareLeave",
        args: [now + 5 * DAY, getAddress(p2)],
      }),
    );
    await confirmTransaction(
      publicClient,
      wallet2.writeContract({
        address: partnership,
        abi: partnershipAbi,
        functionName: "acceptCover",
        args: [p4],
      }),
    );
    await mirror.catchUp();

    // The cover signs naming themselves: not a member of cloud.
    const asCover = await verify(await prove(await issue(), p2));
    expect(asCover).toMatchObject({ verified: false, reason: "NOT_MEMBER", address: p2 });
    // The cover signs naming the partner they cover: the signature is not p4's.
    const challenge = await issue();
    const { message } = await prove(challenge, p4);
    expect(await verify({ message, signature: await sign(p2, message) })).toMatchObject({
      verified: false,
      reason: "SIGNATURE_INVALID",
    });
    // p4 on leave is still a member of cloud, and proves it.
    expect(await verify(await prove(challenge, p4))).toMatchObject({
      verified: true,
      member: { address: p4 },
    });
  });
});

describe("a smart-contract wallet (ERC-1271)", () => {
  it("proves presence with its owner's signature once admitted to the practice", async () => {
    const owner = nonMember;
    const wallet = await connection.viem.deployContract("OwnedWallet", [getAddress(owner)]);
    const address = wallet.address.toLowerCase();
    // Admitted as an affiliate technician of cloud, through governance.
    const governor = await connection.viem.getContractAt(
      "FirmGovernor",
      scenario.manifest.contracts.governor,
    );
    const partnership = await connection.viem.getContractAt(
      "Partnership",
      scenario.manifest.contracts.partnership,
    );
    const governance = new Governance(connection, governor as never, publicClient as never);
    const partners = [p2, scenario.founders[2] as Address, scenario.newPartner].map((a) => getAddress(a));
    await governance.pass(
      [
        action(partnership, "admit", [
          wallet.address,
          Role.Affiliate,
          "cloud",
          PracticeRole.Technician,
          { units: 0n, start: 0, cliff: 0, duration: 0 },
        ]),
      ],
      "Admit a smart-contract wallet to cloud",
      partners,
    );
    await mirror.catchUp();

    const challenge = await issue();
    const { body } = await gql(
      `query($c: String!, $a: String!) { presenceChallengeInfo(code: $c) { messageFor(address: $a) } }`,
      { c: challenge.code, a: address },
    );
    const message = body.data?.presenceChallengeInfo.messageFor as string;
    // Only isValidSignature accepts it: recovering the owner's signature gives the owner, not the wallet.
    const verdict = await verify({ message, signature: await sign(owner, message) });
    expect(verdict).toMatchObject({
      verified: true,
      address,
      role: "AFFILIATE",
      practiceRole: "TECHNICIAN",
    });
    // Another key's signature is refused by the wallet.
    const other = await issue();
    const otherMessage = presenceMessage(recordOf(other), address);
    expect(await verify({ message: otherMessage, signature: await sign(p2, otherMessage) })).toMatchObject({
      reason: "SIGNATURE_INVALID",
    });
  });
});

describe("bad input", () => {
  it("answers a malformed message with MALFORMED_MESSAGE, and bad arguments with BAD_USER_INPUT, never a stack", async () => {
    const challenge = await issue();
    const { message, signature } = await prove(challenge, p4);
    for (const bad of [
      "hello",
      `${message}\nP.S. extra`,
      `Preface\n${message}`,
      message.replace("Version: 1", "Version: 2"),
    ]) {
      expect(await verify({ message: bad, signature })).toMatchObject({
        verified: false,
        reason: "MALFORMED_MESSAGE",
      });
    }
    const inputs: [string, Record<string, unknown>, string][] = [
      [VERIFY, { m: message, s: "not hex" }, "signature"],
      [VERIFY, { m: message, s: "0x123" }, "signature"],
      [VERIFY, { m: "x".repeat(5_000), s: signature }, "message"],
      [VERIFY, { m: message, s: signature, c: "NOT A CODE!" }, "challenge"],
      [CHALLENGE, { p: "Not A Slug" }, "practice"],
      [`{ presenceChallengeInfo(code: "UUUU-UUUU") { code } }`, {}, "code"],
      [`{ qrCode(text: "") }`, {}, "text"],
      [`query($t: String!) { qrCode(text: $t) }`, { t: "x".repeat(3_000) }, "text"],
    ];
    for (const [query, variables, argument] of inputs) {
      const { body } = await gql(query, variables);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument });
      expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);
    }
    const unknown = await gql(CHALLENGE, { p: "no-such-practice" });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    // The failed tries above did not burn the challenge.
    expect((await verify({ message, signature })).verified).toBe(true);
  });

  it("reads a code forgivingly, and draws QR codes as SVG", async () => {
    const challenge = await issue();
    const typed = challenge.code.toLowerCase().replace("-", " ").replace(/0/g, "o").replace(/1/g, "l");
    const { body } = await gql(`query($c: String!) { presenceChallengeInfo(code: $c) { code practice } }`, {
      c: typed,
    });
    expect(body.data?.presenceChallengeInfo).toEqual({ code: challenge.code, practice: "cloud" });
    const qr = await gql(`query($t: String!) { qrCode(text: $t) }`, { t: challenge.answerUrl });
    expect(qr.body.data?.qrCode).toMatch(/^<svg[^>]*viewBox/);
  });
});

describe("issuing", () => {
  it("refuses the 11th challenge from one client within a minute, and not another client's", async () => {
    const limited = presenceApp({ presenceChallengesPerMinute: 10 });
    for (let i = 0; i < 10; i++) await issue("cloud", limited, "203.0.113.50");
    const { body } = await gql(CHALLENGE, { p: "cloud" }, limited, "203.0.113.50");
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringContaining(
        "Too many presence challenges from 203.0.113.50 this minute (at most 10)",
      ),
      extensions: { code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) },
    });
    expect((await issue("cloud", limited, "203.0.113.51")).practice).toBe("cloud");
  });
});

describe("with Redis, across two API instances", async () => {
  const available = await redisAnswers();
  const clients: Redis[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  it.skipIf(!available)(
    "verifies a challenge issued by one on the other, and exactly one of two racing verifications wins",
    async () => {
      const namespace = `presence-test-${randomUUID()}`;
      const [a, b] = [0, 1].map(() => {
        const redis = new Redis(TEST_REDIS_URL);
        clients.push(redis);
        return presenceApp({ presenceChallengesPerMinute: 10 }, redis, namespace);
      }) as [typeof yoga, typeof yoga];
      const challenge = await issue("cloud", a);
      const proof = await prove(challenge, p4, b);
      const verdicts = await Promise.all([verify(proof, undefined, a), verify(proof, undefined, b)]);
      expect(verdicts.map((v) => v.verified).sort()).toEqual([false, true]);
      expect(verdicts.find((v) => !v.verified)).toMatchObject({ reason: "NONCE_USED" });
      // And a replay on either is refused.
      expect(await verify(proof, undefined, a)).toMatchObject({ reason: "NONCE_USED" });
      expect(await verify(proof, undefined, b)).toMatchObject({ reason: "NONCE_USED" });
      // The rate limit is shared too: 10 on a and b together.
      for (let i = 0; i < 9; i++) await issue("cloud", i % 2 ? a : b);
      const over = await gql(CHALLENGE, { p: "cloud" }, b);
      expect(over.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    },
  );
});
