// The governance parameters `deployFirm` uses unless told otherwise: the same shape as production,
// with a 1-second voting delay and short periods, so tests and benchmarks pass a proposal in a few
// blocks and seconds of moved time.
import { DAY } from "./time.ts";

export const FAST_PARAMETERS = {
  votingDelay: 1,
  votingPeriod: 3 * DAY,
  gracePeriod: 14 * DAY,
  equityQuorumBps: 4_000,
  headcountQuorumBps: 5_000,
  timelockDelay: DAY,
  claimWindow: 30 * DAY,
};
