// `firm dev advance <duration>`: on the dev chain only, moves time forward and mines a block, to get
// past a voting delay, a voting period or the timelock delay without waiting.
import { UsageError } from "./errors.ts";
import { parseCommandArgs } from "./lib/args.ts";
import { chainNow, connectChain, requireDevChain } from "./lib/chain.ts";
import { readCliEnv } from "./lib/env.ts";
import { formatTime, type Output } from "./lib/output.ts";
import { parseDuration } from "./lib/parse.ts";

const USAGE = "dev advance <duration>";

export async function run(args: string[], out: Output): Promise<number> {
  const { positionals } = parseCommandArgs(args, {}, { min: 2, max: 2, usage: USAGE });
  if (positionals[0] !== "advance") {
    throw new UsageError(`Unknown \`firm dev ${positionals[0]}\``, `Usage: firm ${USAGE}`);
  }
  const seconds = parseDuration(positionals[1] as string, "<duration>");
  if (seconds === 0) throw new UsageError("<duration> must be more than zero");
  const context = await connectChain(readCliEnv());
  requireDevChain(context, "`firm dev advance`");
  const before = await chainNow(context.publicClient);
  await context.publicClient.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
  await context.publicClient.request({ method: "evm_mine" as never });
  const after = await chainNow(context.publicClient);
  out.line(
    `Moved the dev chain ${positionals[1]} ahead: block ${after.blockNumber} at ${formatTime(after.timestamp)}.`,
  );
  out.result({ seconds, from: before, to: after });
  return 0;
}
