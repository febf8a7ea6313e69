// The kinds of `firm propose` and their help: what commands.ts prints and propose.ts checks its
// arguments against. A file of its own because commands.ts loads propose.ts, so propose.ts cannot
// import from commands.ts without a cycle.

/** One kind of a command with kinds (`firm propose practice`): its usage, options and an example. */
export interface KindHelp {
  /** The usage line, without the leading "firm ". */
  usage: string;
  summary: string;
  /** The kind's own options, one per line. */
  options: string[];
  example: string;
}

/** The kinds of `firm propose`; propose.ts checks its arguments against the same usage lines. */
export const PROPOSE_KINDS = {
  practice: {
    usage: "propose practice --slug <s> --name <n> --lead <address>",
    summary: "Propose a new practice of the firm, led by a partner.",
    options: [
      "--slug <s>            the practice's id: 1 to 32 characters of a-z, 0-9 and '-'; never reused",
      "--name <n>            its name, 1 to 64 bytes",
      "--lead <address>      the partner who leads it (an active partner)",
    ],
    example:
      'firm propose practice --slug print --name "Managed Print" --lead 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --as 1',
  },
  admit: {
    usage:
      "propose admit --account <a> --role partner|associate|affiliate --practice <slug> [--practice-role member|technician] [--units N --cliff 1y --vesting 4y] [--mentor <partner>]",
    summary: "Propose to admit a new member, seated in a practice, with an optional grant of units.",
    options: [
      "--account <a>         the address to admit (never a member before)",
      "--role <role>         partner, associate or affiliate",
      "--practice <slug>     the practice they join, or none",
      "--practice-role <r>   member (the default) or technician",
      "--units N             a grant of N units, vesting from execution over --vesting, after --cliff",
      "--cliff <d>           no units vest before it (default 0)",
      "--vesting <d>         the whole vesting time; needed with --units",
      "--mentor <partner>    an associate's mentor, assigned in the same proposal (Directory.assignMentor)",
    ],
    example:
      "firm propose admit --account 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720 --role associate --practice cloud --units 1000 --cliff 1y --vesting 4y --as 1",
  },
  grant: {
    usage: "propose grant --to <a> --units N --cliff <d> --vesting <d>",
    summary: "Propose a grant of units to a member, vesting from the proposal's execution.",
    options: [
      "--to <a>              the member who receives it",
      "--units N             how many units",
      "--cliff <d>           no units vest before it (default 0)",
      "--vesting <d>         the whole vesting time",
    ],
    example:
      "firm propose grant --to 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC --units 500 --cliff 6mo --vesting 2y --as 1",
  },
  retire: {
    usage:
      "propose retire --partner <a> [--successor <a>] [--buyback-price <amount>] [--buyback-token <address>]",
    summary:
      "Propose to retire a partner (an expulsion): a proposal of its own, passed only by a supermajority of the other partners (3/4 by default).",
    options: [
      "--partner <a>         the partner to retire",
      "--successor <a>       a partner who takes over every practice they lead",
      "--buyback-price <x>   what the treasury pays for their vested units: ETH (1.5), or with",
      "                      --buyback-token in the token's decimals; the unvested are forfeited",
      "--buyback-token <a>   pay in this ERC-20 (the treasury must already allow the partnership it)",
    ],
    example:
      "firm propose retire --partner 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --successor 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --buyback-price 2 --as 1",
  },
  distribute: {
    usage: "propose distribute --amount <x> [--token <address>]",
    summary:
      "Propose a distribution from the treasury to the equity holders, pro rata to their released units.",
    options: [
      "--amount <x>          ETH (1.5, 1,000), or with --token in the token's decimals",
      "--token <address>     distribute this ERC-20 instead of ETH",
    ],
    example: "firm propose distribute --amount 10 --as 1",
  },
} as const satisfies Record<string, KindHelp>;
