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
  budget: {
    usage:
      "propose budget --practice <slug>|--firm --amount <x> [--token <address>] --cadence monthly|quarterly [--rollover] [--spender <address>]...",
    summary:
      "Propose a budget a practice (or the firm, for shared costs) spends without a vote, replacing any budget in force.",
    options: [
      '--practice <slug>     the practice whose budget it is; --firm (or --practice "") for the firm\'s own',
      "--amount <x>          per period: ETH (1.5), or with --token in the token's decimals",
      "--token <address>     an ERC-20 on the books' allow-list (`firm propose allow-token`); ETH without it",
      "--cadence <c>         monthly or quarterly: when the allowance renews (calendar months, UTC)",
      "--rollover            last period's unspent allowance (one period's amount at most) adds to this one",
      "--spender <address>   a member who may spend it besides the practice's lead; repeat, at most 16",
    ],
    example:
      "firm propose budget --practice cloud --amount 2,000 --token 0x5FbDB2315678afecb367f032d93F642f64180aa3 --cadence monthly --as 1",
  },
  "budget-cut": {
    usage: "propose budget-cut --practice <slug>|--firm --amount <x>",
    summary: "Propose to lower the budget in force (this period included); payments already made stand.",
    options: [
      "--practice <slug>     the practice whose budget it is; --firm for the firm's own",
      "--amount <x>          the new amount per period, below the current one, in the budget's token",
    ],
    example: "firm propose budget-cut --practice cloud --amount 1,500 --as 1",
  },
  "budget-revoke": {
    usage: "propose budget-revoke --practice <slug>|--firm",
    summary: "Propose to revoke the budget in force: no further payment under it.",
    options: ["--practice <slug>     the practice whose budget it is; --firm for the firm's own"],
    example: "firm propose budget-revoke --practice cloud --as 1",
  },
  "allow-token": {
    usage: "propose allow-token <address>",
    summary: "Propose to let clients pay the books in an ERC-20 (ETH is always allowed).",
    options: ["<address>             the token's address on this chain"],
    example: "firm propose allow-token 0x5FbDB2315678afecb367f032d93F642f64180aa3 --as 1",
  },
  "profit-rule": {
    usage: "propose profit-rule --practice-share <percent|bps> --weights <lead>/<member>/<technician>",
    summary:
      "Propose the profit rule for months closed from then on: the practices' share of their net, and the seat weights.",
    options: [
      "--practice-share <s>  of each practice's positive net, what goes to its members: 50% or 5000bps",
      "--weights <l/m/t>     the lead's, a member's and a technician's weights, e.g. 3/2/1",
    ],
    example: "firm propose profit-rule --practice-share 50% --weights 3/2/1 --as 1",
  },
  "close-period": {
    usage: "propose close-period --month YYYY-MM [--token <address>]",
    summary:
      "Propose to close a month of the books: practice pools for their members, the lockstep rest distributed to the equity holders.",
    options: [
      "--month YYYY-MM       the month to close (months close in order, once each, after they end)",
      "--token <address>     the ERC-20 whose books to close; ETH without it",
      "The lockstep amount is read from the chain now (Books.previewClose) and stated in the proposal:",
      "if the books change before execution, the close reverts rather than distribute another amount.",
      "A close the free funds cannot cover now is refused before it is proposed (a later month spent them).",
    ],
    example: "firm propose close-period --month 2026-11 --as 1",
  },
} as const satisfies Record<string, KindHelp>;
