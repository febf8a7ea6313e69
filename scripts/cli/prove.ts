// `firm prove --practice <slug> --code <code> [--api <url>]`: a technician proves to the client in
// front of them that they are a member of a practice. The client's page (or any API client) issued
// the code; this fetches the challenge from the API, signs its exact Sign-In with Ethereum message
// (PresenceChallenge.messageFor, personal_sign) with the member's key (--keystore, or --as on the dev
// chain), and prints the proof as a link and as a QR code for the client to open or scan. Nothing is
// sent to the chain and nothing is verified here: the client's page verifies.
import QRCode from "qrcode";
import type { Hex } from "viem";
import { CODE_EXPECTED, normalizeCode, showCode } from "../../api/modules/presence/code.ts";
import { proofLink } from "../../api/web/public/presenceProof.js";
import { UsageError } from "./errors.ts";
import { createApiClient } from "./lib/api.ts";
import { parseCommandArgs, required } from "./lib/args.ts";
import { connectChain } from "./lib/chain.ts";
import { readCliEnv } from "./lib/env.ts";
import { formatSpan, formatTime, type Output } from "./lib/output.ts";
import { parseSlug } from "./lib/parse.ts";
import { resolveSigner } from "./lib/signer.ts";

const USAGE = "prove --practice <slug> --code <code> [--api <url>]";

interface ChallengeInfo {
  code: string;
  practice: string;
  origin: string;
  chainId: number;
  expiresAt: number;
  expiresInSeconds: number;
  used: boolean;
  messageFor: string;
}

export async function run(args: string[], out: Output): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      practice: { type: "string" },
      code: { type: "string" },
      api: { type: "string" },
      as: { type: "string" },
      keystore: { type: "string" },
    },
    { usage: USAGE },
  );
  const slug = parseSlug(required(values.practice, "--practice", USAGE), "--practice");
  const typed = required(values.code, "--code", USAGE);
  const code = normalizeCode(typed);
  if (code === null)
    throw new UsageError(
      `--code ${JSON.stringify(typed)} is not a challenge code`,
      `Expected ${CODE_EXPECTED}.`,
    );
  const env = readCliEnv();
  const api = createApiClient(values.api === undefined ? env.apiUrl : graphqlUrl(values.api));

  const context = await connectChain(env);
  const signer = await resolveSigner(context, { as: values.as, keystore: values.keystore });
  const { presenceChallengeInfo: challenge } = await api.query<{ presenceChallengeInfo: ChallengeInfo }>(
    `query($code: String!, $address: String!) { presenceChallengeInfo(code: $code) {
      code practice origin chainId expiresAt expiresInSeconds used messageFor(address: $address) } }`,
    { code, address: signer.address },
  );
  if (challenge.practice !== slug)
    throw new UsageError(
      `Code ${showCode(code)} asks for practice ${challenge.practice}, not ${slug}`,
      "Check the code and the practice with the client: the page shows both.",
    );
  if (challenge.chainId !== context.chainId)
    throw new UsageError(
      `The API's challenge is for chain ${challenge.chainId}; RPC_URL serves chain ${context.chainId}`,
      "Point --api (or FIRM_API_URL) and RPC_URL at the same firm.",
    );
  if (challenge.used)
    throw new UsageError(
      `Code ${showCode(code)} has been answered already`,
      "Ask the client for a new code.",
    );
  if (challenge.expiresInSeconds <= 0)
    throw new UsageError(`Code ${showCode(code)} has expired`, "Ask the client for a new code.");

  const signature: Hex = await signer.walletClient.signMessage({
    account: signer.account,
    message: challenge.messageFor,
  });
  const link = proofLink(challenge.origin, { code, address: signer.address, signature });

  if (out.json) {
    out.result({
      code: challenge.code,
      practice: slug,
      address: signer.address,
      origin: challenge.origin,
      chainId: challenge.chainId,
      expiresAt: challenge.expiresAt,
      link,
      message: challenge.messageFor,
      signature,
    });
    return 0;
  }
  out.line(`Proof of presence for practice ${slug}, code ${challenge.code}, signed by ${signer.address}`);
  out.line(`(${signer.source}). Show the client this QR code, or send them the link:`);
  out.line();
  // Small mode: two rows of modules per line, so the code fits a terminal (about 60 columns wide).
  out.line(await QRCode.toString(link, { type: "terminal", small: true, errorCorrectionLevel: "L" }));
  out.line(link);
  out.line();
  out.line(
    `It expires at ${formatTime(challenge.expiresAt)} (in ${formatSpan(challenge.expiresInSeconds)}), and works once.`,
  );
  return 0;
}

/** --api takes the API's GraphQL URL or its origin (https://firm.example → https://firm.example/graphql). */
function graphqlUrl(value: string): string {
  if (!URL.canParse(value) || !["http:", "https:"].includes(new URL(value).protocol))
    throw new UsageError(
      `--api ${JSON.stringify(value)} is not an http(s) URL`,
      "Give the API's address, e.g. --api https://firm.example.com/graphql.",
    );
  const url = new URL(value);
  return url.pathname === "/" ? `${url.origin}/graphql` : value;
}
