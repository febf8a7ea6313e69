// Deploys the attacker contracts of contracts/mocks and decodes what they recorded.
import { type Hex, toFunctionSelector } from "viem";
import type { Firm } from "../../../scripts/devFirm/deployFirm.ts";

/** Revert data of OpenZeppelin's reentrancy guard (ReentrancyGuardTransient), which both payers use. */
export const REENTRANT_CALL: Hex = toFunctionSelector("ReentrancyGuardReentrantCall()");

/** A member contract whose receive() (or token hook) makes one armed call back into the firm. */
export function deployHostileReceiver(firm: Firm) {
  return firm.viem.deployContract("HostileReceiver");
}

/** An ERC-20 whose transfers out of a watched payer call back into the firm. */
export function deployHostileToken(firm: Firm) {
  return firm.viem.deployContract("HostileToken");
}

/** What an attacker recorded: attempts, successes and the last revert data. */
export async function reentryRecord(attacker: {
  read: {
    reentryAttempts: () => Promise<bigint>;
    reentrySuccesses: () => Promise<bigint>;
    lastReentryError: () => Promise<Hex>;
  };
}) {
  return {
    attempts: await attacker.read.reentryAttempts(),
    successes: await attacker.read.reentrySuccesses(),
    lastError: await attacker.read.lastReentryError(),
  };
}

export type HostileReceiver = Awaited<ReturnType<typeof deployHostileReceiver>>;
export type HostileToken = Awaited<ReturnType<typeof deployHostileToken>>;
