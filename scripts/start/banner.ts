// What `npm start` prints once ready: where everything is, who the dev accounts are in the demo firm,
// and commands to try.
import { isAbsolute, relative, resolve } from "node:path";
import { DEFAULT_API_URL, DEFAULT_RPC_URL } from "../../kernel/defaults.ts";
import { DEV_DEFAULTS } from "./config.ts";
import type { DevStack } from "./devStack.ts";
import { DEV_MNEMONIC, OPEN_PROPOSAL_PRACTICE } from "./seedDemoFirm.ts";

/** The ready banner of the dev stack. */
export function formatDevBanner(stack: DevStack, cwd = process.cwd()): string {
  const shown = (path: string) => {
    const inside = relative(cwd, path);
    return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : path;
  };
  const { accounts, manifest } = stack;
  const lines = [
    "",
    `Ready in ${(stack.readyMs / 1000).toFixed(1)} s: the MSP IT Partners dev stack.`,
    "",
    `  JSON-RPC   ${stack.rpcUrl}   chain ${manifest.chainId}, Hardhat EDR, dev accounts unlocked`,
    `  GraphQL    ${stack.graphqlUrl}   (GraphiQL in a browser)`,
    `  Web page   ${stack.webUrl}`,
    `  Manifest   ${shown(stack.manifestPath)}`,
    `  Mirror     ${shown(stack.dataDir)} (PGlite, reset at each start)`,
    "",
    "Dev accounts (the CLI's --as <#>):",
    ...accounts.all.map((a) => `  #${a.index}  ${a.address}  ${a.role.padEnd(9)}  ${a.description}`),
    "  These are Hardhat's well-known dev accounts, whose private keys are public:",
    `  mnemonic "${DEV_MNEMONIC}", path m/44'/60'/0'/0/<#>.`,
    "  Dev only: never use them, or send real funds to them, on a real chain.",
    "",
    `Open proposal (voting now): Create practice ${OPEN_PROPOSAL_PRACTICE.name} (${OPEN_PROPOSAL_PRACTICE.slug})`,
    `  id ${stack.openProposalId}`,
    "",
    "Try, in another terminal:",
  ];
  const env = cliEnvironment(stack, cwd);
  if (env) lines.push(`  export ${env}`);
  lines.push(
    "  npx firm status",
    `  npx firm vote ${stack.openProposalId} for --as ${accounts.partners[0].index}`,
    `  npx firm vesting ${accounts.associates[0].address}`,
    `  Verify in person: open ${stack.webUrl}presence?practice=phones, then answer its code with`,
    `  npx firm prove --practice phones --code <code> --as ${accounts.partners[2].index}`,
    "",
    "Ctrl-C stops everything.",
  );
  return lines.join("\n");
}

/** The variables the CLI needs when the stack is not where it looks by default; "" when it is. */
function cliEnvironment(stack: DevStack, cwd: string): string {
  const settings: string[] = [];
  if (stack.rpcUrl !== DEFAULT_RPC_URL) settings.push(`RPC_URL=${stack.rpcUrl}`);
  if (stack.graphqlUrl !== DEFAULT_API_URL) settings.push(`FIRM_API_URL=${stack.graphqlUrl}`);
  if (resolve(cwd, DEV_DEFAULTS.manifestPath) !== stack.manifestPath)
    settings.push(`DEPLOYMENT=${stack.manifestPath}`);
  return settings.join(" ");
}
