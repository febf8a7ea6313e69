// Governance parameters, from whichever contract holds them: the governor (delay, period, grace,
// quorums, expulsion quorums), the timelock (its delay), the revenue share (the claim window) and the
// partnership (the leave rules).
import type { ContractName } from "../decode/logs.ts";
import type { ChangeAt } from "../store/entities.ts";
import { SETTINGS_KEY, type SettingsRow } from "../store/mirror.ts";
import type { HandlerContext } from "./context.ts";

/** The settings columns a setter event can change. */
export type SettingName = Exclude<keyof SettingsRow, "id" | "updatedBlock">;

const EMPTY_SETTINGS: Omit<SettingsRow, "updatedBlock"> = {
  id: SETTINGS_KEY,
  votingDelay: null,
  votingPeriod: null,
  gracePeriod: null,
  equityQuorumBps: null,
  headcountQuorumBps: null,
  expulsionEquityBps: null,
  expulsionHeadcountBps: null,
  timelockDelay: null,
  claimWindow: null,
  minLeave: null,
  leaveCooldown: null,
};

/** Records a parameter change: the value in force, and a history row linked to its proposal. */
export function changeSetting(
  ctx: HandlerContext,
  at: ChangeAt,
  contract: ContractName,
  parameter: SettingName,
  oldValue: bigint | number,
  newValue: bigint | number,
): void {
  const patch = { [parameter]: Number(newValue), updatedBlock: at.blockNumber };
  ctx.settings.upsert(SETTINGS_KEY, { ...EMPTY_SETTINGS, ...patch }, patch, at);
  const change = ctx.settingChanges.push({
    ...at,
    contract,
    parameter,
    oldValue: BigInt(oldValue),
    newValue: BigInt(newValue),
    proposalId: null,
  });
  ctx.linker.whenExecuted(at, (proposalId) => {
    change.proposalId = proposalId;
  });
}

/** A parameter's value in force, or null before the mirror saw it set: a setter event that names no
 * old value (LeaveRulesChanged) records this one as the old value. */
export function currentSetting(ctx: HandlerContext, parameter: SettingName): number | null {
  return ctx.settings.get(SETTINGS_KEY)?.[parameter] ?? null;
}
