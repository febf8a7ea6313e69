// `firm ragequit --yes` and `firm ragequit claim [--token <address>]`: a member withdraws from the
// firm on their own, through the withdrawal desk (contracts/Withdrawals.sol). Their vested units are
// burned for the same fraction of the treasury's ETH and of each ERC-20 governance listed, credited
// to them at the desk and claimed by pull payment; unvested units are forfeited; an active member
// leaves the firm (retired). It is irreversible, so it needs --yes; without it the command shows
// what would happen and sends nothing.
//
// Moloch's guard: a member whose ballot stands For a fund-moving proposal that is not over cannot
// withdraw. The desk releases the locks of finished proposals it is handed; this command finds them
// in the chain's events (lib/exitLocks.ts) and names the live ones that still hold the member.
import { type Address, erc20Abi, zeroAddress } from "viem";
import { memberStatusWords } from "../../api/web/public/words.js";
import { partnershipAbi, withdrawalsAbi } from "../../contracts/abi.ts";
import { MEMBER_STATUSES } from "../../indexer/decode/enums.ts";
import { formatBps, groupDigits } from "../../indexer/decode/format.ts";
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import type { ChainContext } from "./lib/chain.ts";
import { describeBallot, type ForBallot, forBallotsOf } from "./lib/exitLocks.ts";
import type { Output } from "./lib/output.ts";
import { parseAddress } from "./lib/parse.ts";
import { explainFailure, RevertError, withFirmErrors } from "./lib/reverts.ts";
import { findEvent, reportSent, sendWrite, simulateWrite } from "./lib/send.ts";
import { openWriteSession, WRITE_OPTIONS, type WriteSession, waitForMirror } from "./lib/session.ts";
import { type Asset, formatAsset, readAsset } from "./lib/tokens.ts";

const USAGE = "ragequit --yes";
const CLAIM_USAGE = "ragequit claim [--token <address>]";

export async function run(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { ...WRITE_OPTIONS, yes: { type: "boolean", default: false }, token: { type: "string" } },
    { min: 0, max: 1, usage: `${USAGE}, or firm ${CLAIM_USAGE}` },
  );
  if (positionals[0] === "claim") {
    const token = values.token === undefined ? zeroAddress : parseAddress(values.token, "--token");
    return claim(await openWriteSession(values), token, values.wait, out);
  }
  if (positionals[0] !== undefined)
    throw new UsageError(
      `Unknown \`firm ragequit ${positionals[0]}\``,
      `Usage: firm ${USAGE}, or firm ${CLAIM_USAGE}`,
    );
  if (values.token !== undefined)
    throw new UsageError(
      "--token applies to `firm ragequit claim`",
      "A withdrawal credits ETH and every token the firm listed; claim each with `firm ragequit claim [--token <address>]`.",
    );
  return withdraw(await openWriteSession(values), values.yes, values.wait, out);
}

/** What a withdrawal would do now, read from the chain. */
interface Preview {
  member: Address;
  status: (typeof MEMBER_STATUSES)[number];
  /** Units burned: the balance plus the vested units released first. */
  units: bigint;
  /** The units outstanding just before the burn, as the partnership counts a share's base. */
  totalUnits: bigint;
  /** Unvested units of open grants, forfeited. */
  forfeited: bigint;
  /** The share of each asset at today's treasury balances (a token that takes a fee delivers less). */
  shares: { asset: Asset; amount: bigint }[];
  /** For ballots on fund-moving proposals that are over: handed to the desk to release. */
  finished: ForBallot[];
  /** For ballots on fund-moving proposals not over yet: each blocks the withdrawal. */
  live: ForBallot[];
}

async function withdraw(session: WriteSession, yes: boolean, wait: boolean | undefined, out: Output) {
  const { context, signer } = session;
  const { withdrawals } = context.manifest.contracts;
  const preview = await previewWithdrawal(context, signer.address, out);
  const call = {
    address: withdrawals,
    abi: withdrawalsAbi,
    functionName: "ragequit",
    args: [preview.finished.map((ballot) => ballot.id)],
  };
  // Simulated first, --yes or not: a withdrawal that would fail says why before anyone confirms it.
  await explainingLocks(preview, () => simulateWrite(context, signer, call, "withdraw from the firm"));
  if (!yes) {
    printPreview(preview, out);
    throw new UsageError(
      "`firm ragequit` is irreversible, so it needs --yes: nothing was sent",
      "Run `firm ragequit --yes` to withdraw, with the same --as or --keystore.",
      { preview: previewFacts(preview) },
    );
  }
  const sent = await explainingLocks(preview, () =>
    sendWrite(context, signer, out, call, "withdraw from the firm"),
  );
  await waitForMirror(session, sent, wait, out);

  const withdrew = findEvent(sent, "MemberWithdrew");
  const units = BigInt((withdrew?.args.units as bigint | undefined) ?? 0n);
  const totalUnits = BigInt((withdrew?.args.totalUnits as bigint | undefined) ?? 0n);
  const assets = new Map(preview.shares.map(({ asset }) => [asset.token.toLowerCase(), asset]));
  const assetOf = async (token: Address) =>
    assets.get(token.toLowerCase()) ?? (await readAsset(context.publicClient, token));
  const credited: { asset: Asset; amount: bigint }[] = [];
  for (const event of sent.events.filter((e) => e.eventName === "WithdrawalCredited"))
    credited.push({ asset: await assetOf(event.args.token as Address), amount: event.args.amount as bigint });
  const skipped: Asset[] = [];
  for (const event of sent.events.filter((e) => e.eventName === "WithdrawalTokenSkipped"))
    skipped.push(await assetOf(event.args.token as Address));
  const departed = sent.events.some(
    (e) => e.eventName === "MemberStatusChanged" && e.args.account === signer.address,
  );

  out.line(`${signer.address} withdrew from the firm${departed ? ": retired, by their own choice" : ""}.`);
  out.line(`  units burned   ${unitsText(units, totalUnits)}`);
  if (preview.forfeited > 0n) out.line(`  forfeited      ${groupDigits(preview.forfeited)} unvested units`);
  for (const { asset, amount } of credited) out.line(`  credited       ${formatAsset(amount, asset)}`);
  if (credited.length === 0) out.line("  credited       nothing (no units, or an empty treasury)");
  for (const asset of skipped)
    out.line(`  skipped        ${asset.symbol} (token ${asset.token}): the treasury could not pay it`);
  if (preview.finished.length > 0)
    out.line(
      `  released       your For votes on ${preview.finished.length} finished fund-moving proposal(s)`,
    );
  if (credited.length > 0) {
    out.line("Claim it from the withdrawal desk:");
    for (const { asset } of credited) out.line(`  firm ragequit claim${claimOption(asset)}`);
  }
  reportSent(out, sent, {
    member: signer.address,
    units,
    totalUnits,
    forfeited: preview.forfeited,
    departed,
    credited: credited.map(({ asset, amount }) => assetFacts(asset, amount)),
    skipped: skipped.map((asset) => asset.token),
    releasedProposals: preview.finished.map((ballot) => ballot.id),
  });
  return 0;
}

/** Runs `work`; a refusal for open exit locks names the proposals that hold them. */
async function explainingLocks<T>(preview: Preview, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RevertError) || error.errorName !== "WithdrawalLockedByVotes") throw error;
    const listed = preview.live.map((ballot) => `    ${describeBallot(ballot)}`);
    throw new RevertError(
      error.errorName,
      error.args,
      error.shortMessage,
      [
        "Your ballot stands For these proposals, which move treasury funds and are not over:",
        ...listed,
        "Withdraw once each is executed, defeated, canceled or expired (see `firm show proposal <id>`).",
      ].join("\n"),
    );
  }
}

async function previewWithdrawal(context: ChainContext, member: Address, out: Output): Promise<Preview> {
  const { publicClient, manifest } = context;
  const { partnership, withdrawals, timelock } = manifest.contracts;
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: unknown[] = []) =>
    publicClient.readContract({ address, abi, functionName, args } as never) as Promise<T>;
  const [[, statusCode], tokens] = await Promise.all([
    read<readonly [number, number]>(partnership, partnershipAbi, "memberOf", [member]),
    read<readonly Address[]>(withdrawals, withdrawalsAbi, "treasuryTokens"),
  ]);
  const status = MEMBER_STATUSES[statusCode] ?? "None";
  if (status === "None") {
    throw new UsageError(
      `${member} is not a member of the firm: there is nothing to withdraw`,
      "Withdraw as the member: --as <index|address> on the dev chain, or their --keystore.",
    );
  }
  // The units and their base exactly as the partnership will count them: its withdrawMember, run as
  // the desk that calls it (an eth_call: nothing is sent).
  const { result } = await publicClient
    .simulateContract({
      account: withdrawals,
      address: partnership,
      abi: withFirmErrors(partnershipAbi),
      functionName: "withdrawMember",
      args: [member],
    })
    .catch((error: unknown) => {
      throw explainFailure(error, "withdraw from the firm");
    });
  const [units, totalUnits] = result.map(BigInt) as [bigint, bigint];
  if (units === 0n && status !== "Active" && status !== "OnLeave") {
    throw new UsageError(
      `Nothing to withdraw: ${member} has left the firm (${memberStatusWords(status)}) and holds no units`,
      "Claim what a withdrawal credited you with `firm ragequit claim [--token <address>]`.",
    );
  }
  // What the departure forfeits: the unvested units of grants still open.
  let forfeited = 0n;
  if (status === "Active" || status === "OnLeave") {
    for (
      let grantId = await read<bigint>(partnership, partnershipAbi, "lastGrantOf", [member]);
      grantId !== 0n;
      grantId = await read<bigint>(partnership, partnershipAbi, "previousGrant", [grantId])
    ) {
      const [[, granted, released, , , , revokedAt], vestedWaiting] = await Promise.all([
        read<readonly [Address, bigint, bigint, number, number, number, number]>(
          partnership,
          partnershipAbi,
          "grantOf",
          [grantId],
        ),
        read<bigint>(partnership, partnershipAbi, "releasable", [grantId]),
      ]);
      if (revokedAt === 0) forfeited += granted - released - vestedWaiting;
    }
  }
  // The desk's rule: the treasury's balance of each asset times units over totalUnits, rounded down.
  const shares: Preview["shares"] = [];
  for (const token of [zeroAddress, ...tokens]) {
    const asset = await readAsset(publicClient, token);
    const treasuryBalance =
      token === zeroAddress
        ? await publicClient.getBalance({ address: timelock })
        : await read<bigint>(token, erc20Abi, "balanceOf", [timelock]).catch(() => 0n);
    shares.push({ asset, amount: totalUnits === 0n ? 0n : (treasuryBalance * units) / totalUnits });
  }
  const funds = (await forBallotsOf(context, member, out)).filter((ballot) => ballot.movesFunds);
  return {
    member,
    status,
    units,
    totalUnits,
    forfeited,
    shares,
    finished: funds.filter((ballot) => ballot.over),
    live: funds.filter((ballot) => !ballot.over),
  };
}

function printPreview(preview: Preview, out: Output): void {
  const { member, status, units, totalUnits } = preview;
  out.line(`Withdrawing ${member} from the firm would, irreversibly:`);
  out.line(`  burn           ${unitsText(units, totalUnits)}`);
  if (preview.forfeited > 0n) out.line(`  forfeit        ${groupDigits(preview.forfeited)} unvested units`);
  for (const { asset, amount } of preview.shares)
    out.line(
      `  credit about   ${formatAsset(amount, asset)}, claimed with firm ragequit claim${claimOption(asset)}`,
    );
  if (preview.finished.length > 0)
    out.line(
      `  release        your For votes on ${preview.finished.length} finished fund-moving proposal(s)`,
    );
  out.line(
    status === "Active" || status === "OnLeave"
      ? "  and retire you: your grants end, a cover you hold or gave ends, practices you lead lose their lead."
      : `  You have left the firm already (${memberStatusWords(status)}): this cashes out the units you kept.`,
  );
}

function previewFacts(preview: Preview) {
  return {
    member: preview.member,
    status: preview.status,
    units: preview.units,
    totalUnits: preview.totalUnits,
    forfeited: preview.forfeited,
    shares: preview.shares.map(({ asset, amount }) => assetFacts(asset, amount)),
    releasedProposals: preview.finished.map((ballot) => ballot.id),
    lockedBy: preview.live.map((ballot) => ({ id: ballot.id, state: ballot.state, title: ballot.title })),
  };
}

async function claim(session: WriteSession, token: Address, wait: boolean | undefined, out: Output) {
  const { context, signer } = session;
  const { withdrawals } = context.manifest.contracts;
  const asset = await readAsset(context.publicClient, token);
  let sent: Awaited<ReturnType<typeof sendWrite>>;
  try {
    sent = await sendWrite(
      context,
      signer,
      out,
      { address: withdrawals, abi: withdrawalsAbi, functionName: "claim", args: [token] },
      `claim ${asset.symbol} from the withdrawal desk`,
    );
  } catch (error) {
    if (!(error instanceof RevertError) || error.errorName !== "WithdrawalNothingOwed") throw error;
    // Say what is owed instead, if anything.
    const owed = (await owedTo(context, signer.address)).filter((entry) => entry.amount > 0n);
    throw new RevertError(
      error.errorName,
      error.args,
      error.shortMessage,
      owed.length > 0
        ? `You are owed ${owed.map(({ asset: a, amount }) => formatAsset(amount, a)).join(" and ")}: ${owed
            .map(({ asset: a }) => `firm ragequit claim${claimOption(a)}`)
            .join(", ")}.`
        : "A withdrawal (`firm ragequit --yes`) credits what you are owed.",
    );
  }
  const amount = (findEvent(sent, "WithdrawalClaimed")?.args.amount as bigint | undefined) ?? 0n;
  await waitForMirror(session, sent, wait, out);
  const still = (await owedTo(context, signer.address)).filter((entry) => entry.amount > 0n);
  out.line(`Claimed ${formatAsset(amount, asset)} from the withdrawal desk to ${signer.address}.`);
  for (const entry of still)
    out.line(
      `  still owed  ${formatAsset(entry.amount, entry.asset)}: firm ragequit claim${claimOption(entry.asset)}`,
    );
  reportSent(out, sent, {
    member: signer.address,
    ...assetFacts(asset, amount),
    stillOwed: still.map((entry) => assetFacts(entry.asset, entry.amount)),
  });
  return 0;
}

/** What the desk owes `member` in ETH and in each listed token. */
async function owedTo(context: ChainContext, member: Address): Promise<{ asset: Asset; amount: bigint }[]> {
  const { publicClient, manifest } = context;
  const address = manifest.contracts.withdrawals;
  const tokens = await publicClient.readContract({
    address,
    abi: withdrawalsAbi,
    functionName: "treasuryTokens",
  });
  return Promise.all(
    [zeroAddress, ...tokens].map(async (token) => ({
      asset: await readAsset(publicClient, token),
      amount: await publicClient.readContract({
        address,
        abi: withdrawalsAbi,
        functionName: "owed",
        args: [member, token],
      }),
    })),
  );
}

function assetFacts(asset: Asset, amount: bigint) {
  return {
    token: asset.token === zeroAddress ? null : asset.token,
    symbol: asset.symbol,
    decimals: asset.decimals,
    amount,
  };
}

function claimOption(asset: Asset): string {
  return asset.token === zeroAddress ? "" : ` --token ${asset.token}`;
}

/** "1,000 units of 6,000 outstanding (16.67%)". */
function unitsText(units: bigint, totalUnits: bigint): string {
  const share = totalUnits === 0n ? "" : ` (${formatBps((units * 10_000n) / totalUnits)})`;
  return `${groupDigits(units)} units of ${groupDigits(totalUnits)} outstanding${share}`;
}
