// The usage lines of `firm webhooks`, apart from its command file so that the command list
// (./commands.ts) shows them without loading the command, as ./proposeKinds.ts does for `firm propose`.

/** `firm webhooks`' actions, in this order (./webhooks.ts names each one's line in its usage errors). */
export const WEBHOOKS_USAGE = [
  "webhooks add <url> [--format raw|slack|teams] [--events <kind,…>|*] [--secret whsec_…]",
  "webhooks list [--json]",
  "webhooks remove <id>",
  "webhooks test <id>",
  "webhooks apply --file <path> [--prune] [--dry-run] [--json]",
  "webhooks enable <id> [--json]",
  "webhooks disable <id> [--json]",
] as const;
