// The types of revertWords.js, the page's plain-JavaScript module that the CLI imports too.
export interface RevertEnums {
  Role: readonly string[];
  MemberStatus: readonly string[];
  ProposalState: readonly string[];
}
export const ERC20_ERRORS: readonly {
  type: "error";
  name: string;
  inputs: readonly { name: string; type: string }[];
}[];
export function errorsOf(abis: readonly (readonly { type: string }[])[]): readonly unknown[];
export function formatTime(seconds: number | bigint): string;
export function describeRevert(
  name: string,
  args: readonly unknown[],
  enums: RevertEnums,
): { message: string; hint?: string };
