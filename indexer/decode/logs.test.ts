import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { LogDecodeError } from "../store/errors.ts";
import { encodeFirmEvent, SyntheticChain, syntheticManifest } from "../testing/syntheticChain.ts";
import { createLogDecoder } from "./logs.ts";

const manifest = syntheticManifest();
const decoder = createLogDecoder(manifest);
const member = getAddress("0x00000000000000000000000000000000000abcde");

function oneLog(log: ReturnType<typeof encodeFirmEvent>) {
  const chain = new SyntheticChain(manifest);
  chain.block([[log]]);
  const [raw] = chain.range().logs;
  if (!raw) throw new Error("no log");
  return raw;
}

describe("createLogDecoder", () => {
  it("decodes by contract address and lowercases address arguments", () => {
    const log = oneLog(
      encodeFirmEvent(manifest, "partnership", "MemberAdmitted", {
        account: member,
        role: 2,
        index: 7n,
        since: 1_000,
      }),
    );
    const decoded = decoder.decode(log);
    expect(decoded.contract).toBe("partnership");
    expect(decoded.eventName).toBe("MemberAdmitted");
    expect(decoded.args).toEqual({ account: member.toLowerCase(), role: 2, index: 7n, since: 1_000 });
  });

  it("tells two contracts' events with the same name apart by address", () => {
    const practices = oneLog(
      encodeFirmEvent(manifest, "practices", "PracticeSunset", { practiceId: `0x${"11".repeat(32)}`, at: 5 }),
    );
    expect(decoder.decode(practices).contract).toBe("practices");
    const asGovernor = { ...practices, address: manifest.contracts.governor };
    expect(() => decoder.decode(asGovernor)).toThrowError(LogDecodeError);
  });

  it("fails on data that does not fit the event, naming the log", () => {
    const log = oneLog(
      encodeFirmEvent(manifest, "governor", "ProposalQueued", { proposalId: 1n, etaSeconds: 2n }),
    );
    const truncated = { ...log, data: log.data.slice(0, 40) as `0x${string}` };
    expect(() => decoder.decode(truncated)).toThrowError(
      new RegExp(`Cannot decode the log at block 1, tx ${log.transactionHash}, log index 0`),
    );
  });
});
