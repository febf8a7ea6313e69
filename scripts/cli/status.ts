// `firm status`: the chain (from RPC_URL), the contracts (code present, treasury balance), and from
// the API the partners, the open proposals and how far the indexer has got.
import { formatEth, groupDigits, shortAddress } from "../../indexer/decode/format.ts";
import { redactUrl } from "../../kernel/errors.ts";
import { isUnreachable } from "./lib/api.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { chainNow } from "./lib/chain.ts";
import { formatTime, type Output } from "./lib/output.ts";
import { PROPOSAL_LINE_FIELDS, type ProposalLine, proposalLines } from "./lib/present.ts";
import { openSession } from "./lib/session.ts";

const OPEN_STATES = ["PENDING", "ACTIVE", "SUCCEEDED", "QUEUED"] as const;

const QUERY = `{
  firm { name counts { members activeMembers onLeave partners practices activePractices proposals grants distributions } }
  partners: members(where: { role: PARTNER }, first: 50) { edges { node {
    address status equity { votes units } leave { until cover } } } }
  ${OPEN_STATES.map((state) => `${state.toLowerCase()}: proposals(where: { state: ${state} }, first: 10) { edges { node { ${PROPOSAL_LINE_FIELDS} } } }`).join("\n  ")}
  indexingStatus { headBlock indexedBlock lagBlocks synced maxLagBlocks }
}`;

interface Partner {
  address: string;
  status: string;
  equity: { votes: string; units: string };
  leave: { until: number; cover: string } | null;
}

type StatusData = {
  firm: { name: string; counts: Record<string, number> };
  partners: { edges: { node: Partner }[] };
  indexingStatus: {
    headBlock: number | null;
    indexedBlock: number | null;
    lagBlocks: number | null;
    synced: boolean;
    maxLagBlocks: number;
  };
} & Record<Lowercase<(typeof OPEN_STATES)[number]>, { edges: { node: ProposalLine }[] }>;

export async function run(args: string[], out: Output): Promise<number> {
  parseCommandArgs(args, {}, { usage: "status [--json]" });
  const { context, api } = await openSession();
  const { publicClient, manifest, env } = context;
  const [now, codes, treasury] = await Promise.all([
    chainNow(publicClient),
    Promise.all(
      Object.entries(manifest.contracts).map(async ([name, address]) => ({
        name,
        address,
        deployed: ((await publicClient.getCode({ address })) ?? "0x") !== "0x",
      })),
    ),
    publicClient.getBalance({ address: manifest.contracts.timelock }),
  ]);

  out.line(
    `Chain      ${context.chainId} at ${redactUrl(env.rpcUrl)}: block ${now.blockNumber}, ${formatTime(now.timestamp)}`,
  );
  out.line(`Deployment ${manifest.name} (${env.deploymentPath}), from block ${manifest.startBlock}`);
  out.line("Contracts");
  for (const { name, address, deployed } of codes) {
    out.line(`  ${name.padEnd(12)} ${address}${deployed ? "" : "  NO CODE: wrong chain or manifest?"}`);
  }
  out.line(`  treasury     ${formatEth(treasury)} (the timelock)`);
  const chain = {
    chainId: context.chainId,
    block: now.blockNumber,
    timestamp: now.timestamp,
    treasuryWei: treasury,
    contracts: codes,
  };

  let data: StatusData;
  try {
    data = await api.query<StatusData>(QUERY);
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    out.line(`API        unreachable at ${api.url}`);
    out.line(
      "           Start it with `npm start` (chain, indexer and API) or `firm serve`, or set FIRM_API_URL.",
    );
    out.result({ chain, api: { reachable: false, url: api.url, error: error.shortMessage } });
    return 0;
  }

  const { counts } = data.firm;
  const partners = data.partners.edges
    .map((e) => e.node)
    .filter((p) => p.status === "ACTIVE" || p.status === "ON_LEAVE");
  out.line(
    `Firm       ${data.firm.name}: ${counts.partners} partners (${counts.onLeave} on leave), ${counts.activeMembers} active members, ${counts.activePractices} practices`,
  );
  for (const partner of partners) {
    const leave = partner.leave
      ? `  on leave until ${formatTime(partner.leave.until)}, covered by ${shortAddress(partner.leave.cover)}`
      : "";
    out.line(
      `  ${partner.address}  ${groupDigits(BigInt(partner.equity.votes)).padStart(7)} votes  ${groupDigits(BigInt(partner.equity.units)).padStart(7)} units${leave}`,
    );
  }
  const open = OPEN_STATES.flatMap((state) =>
    data[state.toLowerCase() as Lowercase<typeof state>].edges.map((e) => e.node),
  );
  out.line(`Open proposals: ${open.length === 0 ? "none" : open.length}`);
  for (const p of open) for (const line of proposalLines(p, now.timestamp)) out.line(`  ${line}`);
  const indexing = data.indexingStatus;
  const lag = indexing.indexedBlock === null ? null : Number(now.blockNumber) - indexing.indexedBlock;
  out.line(
    indexing.indexedBlock === null
      ? "Indexer    has not indexed any block yet"
      : `Indexer    at block ${indexing.indexedBlock} of ${now.blockNumber}: ${lag} block(s) behind${indexing.synced ? ", in sync" : `, more than ${indexing.maxLagBlocks} behind`}`,
  );
  out.result({
    chain,
    api: { reachable: true, url: api.url },
    firm: data.firm,
    partners,
    openProposals: open,
    indexer: { ...indexing, lagBlocks: lag },
  });
  return 0;
}
