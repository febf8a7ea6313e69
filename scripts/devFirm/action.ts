// One call a proposal makes, encoded from a typed contract: what `Governance.propose` takes.
import {
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  encodeFunctionData,
  type Hex,
} from "viem";

export interface Action {
  target: Address;
  value: bigint;
  data: Hex;
}

/** Encodes a call to `fn` of a contract with `abi` at `target` as a proposal action. */
export function action<const abi extends Abi, fn extends ContractFunctionName<abi, "nonpayable" | "payable">>(
  contract: { address: Address; abi: abi },
  functionName: fn,
  args: ContractFunctionArgs<abi, "nonpayable" | "payable", fn>,
  value = 0n,
): Action {
  const data = encodeFunctionData({ abi: contract.abi, functionName, args } as never);
  return { target: contract.address, value, data };
}
