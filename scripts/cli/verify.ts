// `firm verify --practice <slug> --account <address>`: asks the chain itself, not the mirror, whether
// the account is a member of the practice now: Practices.membership(slug, account) at a fixed block,
// with the practice and the member's record from the same block. Prints the verdict and the evidence
// (chain id, block, contract, the exact eth_call and its raw result) so anyone can check it against
// their own node. Exits 0 when verified and 1 when not.
import { decodeFunctionResult, encodeFunctionData, type Hex, numberToHex } from "viem";
import { notMemberClause } from "../../api/web/public/words.js";
import { partnershipAbi, practicesAbi } from "../../contracts/abi.ts";
import { MEMBER_STATUSES, PRACTICE_ROLES, PRACTICE_STATUSES, ROLES } from "../../indexer/decode/enums.ts";
import { redactUrl } from "../../kernel/errors.ts";
import { parseCommandArgs, required } from "./lib/args.ts";
import { connectChain } from "./lib/chain.ts";
import { readCliEnv } from "./lib/env.ts";
import { formatTime, type Output } from "./lib/output.ts";
import { parseAddress, parseSlug } from "./lib/parse.ts";

const USAGE = "verify --practice <slug> --account <address>";

export async function run(args: string[], out: Output): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { practice: { type: "string" }, account: { type: "string" } },
    { usage: USAGE },
  );
  const slug = parseSlug(required(values.practice, "--practice", USAGE), "--practice");
  const account = parseAddress(required(values.account, "--account", USAGE), "--account");
  const context = await connectChain(readCliEnv());
  const { publicClient, manifest } = context;
  const registry = manifest.contracts.practices;
  const block = await publicClient.getBlock({ blockTag: "latest" });
  const blockTag = numberToHex(block.number);

  const data = encodeFunctionData({ abi: practicesAbi, functionName: "membership", args: [slug, account] });
  const { data: raw = "0x" } = await publicClient.call({ to: registry, data, blockNumber: block.number });
  const membership = decodeFunctionResult({
    abi: practicesAbi,
    functionName: "membership",
    data: raw as Hex,
  });
  const [[, practiceName, lead, practiceStatus], [, , memberIndex, , partnerSince, partnerUntil]] =
    await Promise.all([
      publicClient.readContract({
        address: registry,
        abi: practicesAbi,
        functionName: "practice",
        args: [slug],
        blockNumber: block.number,
      }),
      publicClient.readContract({
        address: manifest.contracts.partnership,
        abi: partnershipAbi,
        functionName: "memberOf",
        args: [account],
        blockNumber: block.number,
      }),
    ]);

  const role = ROLES[membership.role] ?? String(membership.role);
  const status = MEMBER_STATUSES[membership.status] ?? String(membership.status);
  const practiceRole = PRACTICE_ROLES[membership.practiceRole] ?? String(membership.practiceRole);
  const practiceState = PRACTICE_STATUSES[practiceStatus] ?? String(practiceStatus);
  const verified = membership.isMember;
  const reason = verified ? null : whyNot(slug, practiceState, status, practiceRole);
  const request = { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to: registry, data }, blockTag] };

  if (verified) {
    out.line(`VERIFIED: ${account} is a member of practice ${slug} (${practiceName})`);
    out.line(
      `  firm role      ${role} (${status}), member #${memberIndex} since ${formatTime(membership.memberSince)}`,
    );
    if (partnerSince > 0) out.line(`  partner        since ${formatTime(partnerSince)}`);
    out.line(
      `  practice role  ${practiceRole}${lead.toLowerCase() === account.toLowerCase() ? " (the practice's lead)" : ""}, since ${formatTime(membership.practiceSince)}`,
    );
  } else {
    out.line(`NOT VERIFIED: ${account} is not a member of practice ${slug}: ${reason}`);
    if (membership.role !== 0) out.line(`  firm record    ${role} (${status})`);
  }
  out.line(`Evidence (check it against any node of chain ${context.chainId}):`);
  out.line(`  chain id       ${context.chainId} (RPC ${redactUrl(context.env.rpcUrl)})`);
  out.line(`  block          ${block.number} (${block.hash}), ${formatTime(block.timestamp)}`);
  out.line(
    `  contract       Practices at ${registry} (member record: Partnership at ${manifest.contracts.partnership})`,
  );
  out.line(`  call           membership("${slug}", ${account})`);
  out.line(
    `  eth_call       curl -s -X POST -H 'content-type: application/json' --data '${JSON.stringify(request)}' ${redactUrl(context.env.rpcUrl)}`,
  );
  out.line(`  result         ${raw}`);
  out.line(
    `  decoded        isMember=${verified} role=${role} status=${status} practiceRole=${practiceRole}`,
  );
  out.result({
    verified,
    reason,
    practice: { slug, name: practiceName, status: practiceState, lead },
    account,
    role,
    status,
    practiceRole,
    memberSince: membership.memberSince,
    memberIndex,
    partnerSince: partnerSince || null,
    partnerUntil: partnerUntil || null,
    practiceSince: membership.practiceSince,
    evidence: {
      chainId: context.chainId,
      blockNumber: block.number,
      blockHash: block.hash,
      blockTimestamp: block.timestamp,
      contract: registry,
      ethCall: request,
      result: raw,
    },
  });
  return verified ? 0 : 1;
}

function whyNot(slug: string, practiceState: string, memberStatus: string, practiceRole: string): string {
  // The API and the page give the same reasons in the same words.
  return (
    notMemberClause({ slug, practiceStatus: practiceState, memberStatus, practiceRole }) ??
    "the registry says so"
  );
}
