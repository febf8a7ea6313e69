// Synthetic chains for the mirror's tests and its throughput benchmark: real ABI-encoded logs of the
// firm's events, placed in blocks with consistent hashes and timestamps, exactly as eth_getLogs and
// eth_getBlockByNumber would return them. Not a test file: tests and the benchmark import it.
import {
  type AbiEvent,
  type Address,
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionData,
  type Hex,
  keccak256,
  toHex,
  zeroAddress,
} from "viem";
import { partnershipAbi } from "../../contracts/abi.ts";
import { MANIFEST_VERSION, type Manifest } from "../../contracts/manifest.ts";
import { type ContractName, type EventArgs, type EventName, FIRM_ABIS } from "../decode/logs.ts";
import type { BlockRange, BlockRef, RawLog } from "../store/types.ts";

/** A manifest for a firm that exists only in synthetic logs. */
export function syntheticManifest(startBlock = 1): Manifest {
  const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
  return {
    version: MANIFEST_VERSION,
    name: "synthetic",
    chainId: 31337,
    startBlock,
    deployedAt: "",
    contracts: {
      timelock: address(0x7100),
      partnership: address(0x7200),
      practices: address(0x7300),
      revenueShare: address(0x7400),
      governor: address(0x7500),
      withdrawals: address(0x7600),
      directory: address(0x7700),
      books: address(0x7800),
    },
    abis: "contracts/abi.ts",
    parameters: {},
  };
}

/** Encodes one event of a firm contract as the raw log a node would return (coordinates filled later). */
export function encodeFirmEvent<C extends ContractName, N extends EventName<C>>(
  manifest: Manifest,
  contract: C,
  eventName: N,
  args: EventArgs<C, N>,
): Pick<RawLog, "address" | "topics" | "data"> {
  const abi = FIRM_ABIS[contract] as readonly unknown[];
  const item = (abi as AbiEvent[]).find((x) => x.type === "event" && x.name === eventName) as AbiEvent;
  const values = args as Record<string, unknown>;
  const topics = encodeEventTopics({ abi: [item], eventName, args: values } as never) as RawLog["topics"];
  const dataInputs = item.inputs.filter((input) => !input.indexed);
  const data = encodeAbiParameters(
    dataInputs,
    dataInputs.map((input) => values[input.name as string]),
  );
  return { address: manifest.contracts[contract], topics, data };
}

/**
 * Builds a chain block by block. Each `block()` call takes the logs of one block, grouped by
 * transaction; `range()` hands out everything since the last call as a BlockRange.
 */
export class SyntheticChain {
  readonly manifest: Manifest;
  private number: bigint;
  private timestamp: bigint;
  private parentHash: Hex = `0x${"00".repeat(32)}`;
  private pendingFrom: bigint;
  private pendingBlocks: BlockRef[] = [];
  private pendingLogs: RawLog[] = [];
  /** A fork id mixed into hashes, so a replayed block after a "reorg" gets a different hash. */
  private fork = 0;

  constructor(manifest: Manifest, startTimestamp = 1_800_000_000n) {
    this.manifest = manifest;
    this.number = BigInt(manifest.startBlock) - 1n;
    this.pendingFrom = BigInt(manifest.startBlock);
    this.timestamp = startTimestamp;
  }

  /** The timestamp the next block will get. */
  get nextTimestamp(): bigint {
    return this.timestamp + 12n;
  }

  /** Appends one block holding `transactions` (each a list of logs) after `advance` seconds. */
  block(transactions: Pick<RawLog, "address" | "topics" | "data">[][], advance = 12n): BlockRef {
    this.number += 1n;
    this.timestamp += advance;
    const hash = keccak256(toHex(`block ${this.number} fork ${this.fork}`));
    const header: BlockRef = {
      number: this.number,
      hash,
      parentHash: this.parentHash,
      timestamp: this.timestamp,
    };
    let logIndex = 0;
    transactions.forEach((logs, transactionIndex) => {
      const transactionHash = keccak256(toHex(`tx ${this.number}/${transactionIndex} fork ${this.fork}`));
      for (const log of logs) {
        this.pendingLogs.push({
          ...log,
          blockNumber: this.number,
          blockHash: hash,
          transactionHash,
          transactionIndex,
          logIndex: logIndex++,
        });
      }
    });
    this.parentHash = hash;
    this.pendingBlocks.push(header);
    return header;
  }

  /** Every block and log since the last range. */
  range(): BlockRange {
    const last = this.pendingBlocks.at(-1);
    if (!last) throw new Error("no block since the last range");
    const range: BlockRange = {
      fromBlock: this.pendingFrom,
      toBlock: last,
      blocks: this.pendingBlocks,
      logs: this.pendingLogs,
    };
    this.pendingFrom = last.number + 1n;
    this.pendingBlocks = [];
    this.pendingLogs = [];
    return range;
  }

  /** Forgets the blocks above `number` (a reorg): the next blocks get new hashes. */
  rewindTo(number: bigint, timestamp: bigint, hash: Hex): void {
    this.number = number;
    this.timestamp = timestamp;
    this.parentHash = hash;
    this.pendingFrom = number + 1n;
    this.pendingBlocks = [];
    this.pendingLogs = [];
    this.fork += 1;
  }
}

const DAY = 86_400;
const YEAR = 365 * DAY;

/**
 * What FirmGovernor's constructor emits about its first proposal rule, and Partnership's about its
 * leave rules: the quorums (40% / 50% unless given), the default expulsion supermajority (75% / 75%),
 * the grace period (14 days unless given) and rule 0, in force from time 0. A proposal needs a rule.
 */
export function governorRuleEvents(
  manifest: Manifest,
  { equityBps = 4_000, headcountBps = 5_000, gracePeriod = 14 * DAY } = {},
): Pick<RawLog, "address" | "topics" | "data">[] {
  return [
    encodeFirmEvent(manifest, "governor", "QuorumChanged", {
      oldEquityBps: 0,
      oldHeadcountBps: 0,
      newEquityBps: equityBps,
      newHeadcountBps: headcountBps,
    }),
    encodeFirmEvent(manifest, "governor", "ExpulsionQuorumChanged", {
      oldEquityBps: 0,
      oldHeadcountBps: 0,
      newEquityBps: 7_500,
      newHeadcountBps: 7_500,
    }),
    encodeFirmEvent(manifest, "governor", "GracePeriodSet", {
      oldGracePeriod: 0n,
      newGracePeriod: BigInt(gracePeriod),
    }),
    encodeFirmEvent(manifest, "governor", "ProposalRuleScheduled", { ruleIndex: 0n, since: 0 }),
  ];
}

/**
 * A busy synthetic firm, for the throughput benchmark: `members` founders, then rounds of a grant
 * proposal voted by every partner, queued and executed, followed by every member releasing vested
 * units. Stops once at least `logs` logs exist. Every event is consistent with the ones before it, so
 * the handlers' invariant checks (votes continuity, known rows) hold.
 */
export function busyFirmRanges(
  manifest: Manifest,
  { logs, members = 20, rangeLogs = logs }: { logs: number; members?: number; rangeLogs?: number },
): BlockRange[] {
  const chain = new SyntheticChain(manifest);
  const e = <C extends ContractName, N extends EventName<C>>(contract: C, name: N, args: EventArgs<C, N>) =>
    encodeFirmEvent(manifest, contract, name, args);
  const accounts = Array.from(
    { length: members },
    (_, i) => `0x${(0xa000 + i).toString(16).padStart(40, "0")}` as Address,
  );
  const votes = new Map<Address, bigint>();
  const balances = new Map<Address, bigint>();
  let grantCount = 0n;
  let count = 0;
  const ranges: BlockRange[] = [];
  let sinceRange = 0;
  const emit = (transactions: ReturnType<typeof e>[][], advance?: bigint) => {
    chain.block(transactions, advance);
    const added = transactions.reduce((n, tx) => n + tx.length, 0);
    count += added;
    sinceRange += added;
    if (sinceRange >= rangeLogs) {
      ranges.push(chain.range());
      sinceRange = 0;
    }
  };
  const grant = (account: Address, units: bigint, start: number) => {
    grantCount += 1n;
    const previous = votes.get(account) ?? 0n;
    votes.set(account, previous + units);
    return [
      e("partnership", "GrantCreated", {
        grantId: grantCount,
        beneficiary: account,
        units,
        start,
        cliffEnd: start,
        end: start + 4 * YEAR,
      }),
      e("partnership", "DelegateVotesChanged", {
        delegate: account,
        previousVotes: previous,
        newVotes: previous + units,
      }),
    ];
  };

  const t0 = Number(chain.nextTimestamp);
  emit([
    [e("timelock", "MinDelayChange", { oldDuration: 0n, newDuration: BigInt(DAY) })],
    [
      e("revenueShare", "ClaimWindowChanged", { previousWindow: 0, newWindow: 30 * DAY }),
      ...accounts.flatMap((account, i) => [
        e("partnership", "MemberAdmitted", { account, role: 1, index: BigInt(i + 1), since: t0 }),
        ...grant(account, 1_000n, t0),
      ]),
    ],
    [
      e("governor", "VotingDelaySet", { oldVotingDelay: 0n, newVotingDelay: 1n }),
      e("governor", "VotingPeriodSet", { oldVotingPeriod: 0n, newVotingPeriod: BigInt(3 * DAY) }),
      ...governorRuleEvents(manifest),
    ],
  ]);

  for (let round = 0; count < logs; round++) {
    const beneficiary = accounts[round % members] as Address;
    const terms = { units: 100n, start: 0, cliff: 0, duration: 4 * YEAR };
    const calldata = encodeFunctionData({
      abi: partnershipAbi,
      functionName: "createGrant",
      args: [beneficiary, terms],
    });
    const proposalId = BigInt(keccak256(toHex(`proposal ${round}`)));
    const now = Number(chain.nextTimestamp);
    emit([
      [
        e("governor", "ProposalCreated", {
          proposalId,
          proposer: accounts[0] as Address,
          targets: [manifest.contracts.partnership],
          values: [0n],
          signatures: [""],
          calldatas: [calldata],
          voteStart: BigInt(now + 1),
          voteEnd: BigInt(now + 1 + 3 * DAY),
          description: `# Grant round ${round}\n\nA grant of 100 units.`,
        }),
      ],
    ]);
    emit(
      accounts.map((voter) => [
        e("governor", "VoteCast", {
          voter,
          proposalId,
          support: 1,
          weight: votes.get(voter) ?? 0n,
          reason: "",
        }),
      ]),
    );
    emit(
      [[e("governor", "ProposalQueued", { proposalId, etaSeconds: BigInt(now + 4 * DAY) })]],
      BigInt(3 * DAY),
    );
    const executeAt = Number(chain.nextTimestamp) + DAY;
    const operation = keccak256(toHex(`operation ${round}`));
    emit(
      [
        [
          ...grant(beneficiary, 100n, executeAt),
          e("timelock", "CallExecuted", {
            id: operation,
            index: 0n,
            target: manifest.contracts.partnership,
            value: 0n,
            data: calldata,
          }),
          e("governor", "ProposalExecuted", { proposalId }),
        ],
      ],
      BigInt(DAY),
    );
    emit(
      accounts.map((account, i) => {
        const released = 5n;
        const balance = (balances.get(account) ?? 0n) + released;
        balances.set(account, balance);
        return [
          e("partnership", "GrantReleased", {
            grantId: BigInt(i + 1),
            beneficiary: account,
            amount: released,
            totalReleased: balance,
          }),
          e("partnership", "Transfer", { from: zeroAddress, to: account, value: released }),
        ];
      }),
    );
  }
  if (sinceRange > 0) ranges.push(chain.range());
  return ranges;
}
