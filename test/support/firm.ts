// The contract tests' own helpers on top of the dev firm (scripts/devFirm): named accounts, acting as
// governance without a vote, receipts, custom-error matchers. Test-only: product code and tools never
// import it.

import { type Address, getAddress, type Hex } from "viem";
import type { Action } from "../../scripts/devFirm/action.ts";
import { confirmTransaction } from "../../scripts/devFirm/confirmTransaction.ts";
import type { Firm } from "../../scripts/devFirm/deployFirm.ts";
import type { Proposal } from "../../scripts/devFirm/governance.ts";

/** The five founding partners of a default firm, as a tuple of checksummed addresses (as contracts return them). */
export function partnersOf(firm: Firm): [Address, Address, Address, Address, Address] {
  const [p1, p2, p3, p4, p5] = firm.founders;
  if (!p1 || !p2 || !p3 || !p4 || !p5) throw new Error("partnersOf() needs a firm with five founders");
  return [getAddress(p1), getAddress(p2), getAddress(p3), getAddress(p4), getAddress(p5)];
}

/** The `n`-th dev account that is not a founder of a default firm (wallets[6 + n]), checksummed. */
export function outsiderOf(firm: Firm, n = 0): Address {
  const wallet = firm.wallets[6 + n];
  if (!wallet) throw new Error(`No dev account ${6 + n}`);
  return getAddress(wallet.account.address);
}

/**
 * Acts as the timelock (the firm's governance account) without a vote, to set up state quickly.
 * Adds 10 ETH to the timelock for gas, so measure treasury balances as differences. Returns its
 * address, for `{ account }`. Tests about governance itself go through {Governance} instead.
 */
export async function impersonateGovernance(firm: Firm): Promise<Address> {
  const address = firm.timelock.address;
  await firm.networkHelpers.impersonateAccount(address);
  const balance = await firm.publicClient.getBalance({ address });
  await firm.networkHelpers.setBalance(address, balance + 10n ** 19n);
  return address;
}

/** Waits for a transaction, fails unless it succeeded, and returns its receipt. */
export function confirm(firm: Firm, hash: Hex | Promise<Hex>) {
  return confirmTransaction(firm.publicClient, hash);
}

/**
 * A matcher for a custom error with exactly these arguments, as viem prints it:
 * `Name(type a, type b)` then `(a, b)` on the next line. Case-insensitive, for addresses.
 */
export function customError(name: string, ...args: (string | number | bigint)[]): RegExp {
  const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `${escapeRegExp(name)}\\([^)]*\\)\\s*\\(${args.map((a) => escapeRegExp(String(a))).join(", ")}\\)`,
    "i",
  );
}

/** Runs a proposal through the vote (every voter For), the queue and the timelock delay; stops before execution. */
export async function passToExecution(
  firm: Firm,
  actions: Action[],
  description: string,
  voters: Address[],
): Promise<Proposal> {
  const [proposer] = voters;
  if (!proposer) throw new Error("passToExecution() needs at least one voter, who also proposes");
  const proposal = await firm.governance.propose(actions, description, proposer);
  await firm.governance.startVoting();
  await firm.governance.vote(proposal, voters);
  await firm.governance.endVoting();
  await firm.governance.queue(proposal);
  await firm.governance.passTimelock();
  return proposal;
}
