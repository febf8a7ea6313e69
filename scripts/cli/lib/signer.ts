// Who signs a write: on the dev chain an unlocked account of the node (`--as 1` or `--as 0x…`), on
// any chain an encrypted keystore (`--keystore file`, or FIRM_KEYSTORE). `--as` is refused anywhere
// but the dev chain, so a script cannot silently rely on a node holding keys.
import { resolve } from "node:path";
import { type Account, type Address, createWalletClient, http, type WalletClient } from "viem";
import { UsageError } from "../errors.ts";
import { type ChainContext, requireDevChain } from "./chain.ts";
import { decryptKeystoreFile, readPassword } from "./keystore.ts";
import { parseAddress } from "./parse.ts";

export interface Signer {
  address: Address;
  /** The viem account: an address (the node signs) or a local account (we sign). */
  account: Account | Address;
  walletClient: WalletClient;
  /** How the signer was chosen, for messages. */
  source: string;
}

export interface SignerOptions {
  as?: string | undefined;
  keystore?: string | undefined;
}

/** Picks the signer from --as or --keystore (or FIRM_KEYSTORE). */
export async function resolveSigner(context: ChainContext, options: SignerOptions): Promise<Signer> {
  const keystore = options.keystore ?? (process.env.FIRM_KEYSTORE?.trim() || undefined);
  if (options.as !== undefined && options.keystore !== undefined) {
    throw new UsageError("Give either --as or --keystore, not both");
  }
  if (options.as !== undefined) return devAccount(context, options.as);
  if (keystore !== undefined) return keystoreAccount(context, keystore);
  throw new UsageError(
    "This command sends a transaction: say who signs it",
    context.isDevChain
      ? "On the dev chain use --as <index|address> (an unlocked account of the node), or --keystore <file>."
      : "Use --keystore <file> (create one with `firm keystore new`), or set FIRM_KEYSTORE.",
  );
}

async function devAccount(context: ChainContext, choice: string): Promise<Signer> {
  requireDevChain(context, "--as");
  const accounts = (await context.publicClient.request({ method: "eth_accounts" as never })) as Address[];
  let address: Address | undefined;
  if (/^\d+$/.test(choice.trim())) {
    address = accounts[Number(choice)];
    if (!address) {
      throw new UsageError(
        `--as ${choice}: the node has ${accounts.length} unlocked accounts (0 to ${accounts.length - 1})`,
      );
    }
  } else {
    const wanted = parseAddress(choice, "--as");
    address = accounts.find((a) => a.toLowerCase() === wanted.toLowerCase());
    if (!address) {
      throw new UsageError(
        `--as ${choice}: the node holds no unlocked key for that address`,
        "Use one of the node's accounts (by index, e.g. --as 1), or sign with --keystore <file>.",
      );
    }
  }
  const checksummed = parseAddress(address, "--as");
  const walletClient = createWalletClient({
    account: checksummed,
    chain: context.chain,
    transport: http(context.env.rpcUrl, { retryCount: 0 }),
  });
  return { address: checksummed, account: checksummed, walletClient, source: `dev account ${choice}` };
}

async function keystoreAccount(context: ChainContext, file: string): Promise<Signer> {
  const path = resolve(file);
  const password = await readPassword(`Password for ${file}: `);
  const { privateKey } = await decryptKeystoreFile(path, password);
  const { privateKeyToAccount } = await import("viem/accounts");
  const account = privateKeyToAccount(privateKey);
  const walletClient = createWalletClient({
    account,
    chain: context.chain,
    transport: http(context.env.rpcUrl, { retryCount: 0 }),
  });
  return { address: account.address, account, walletClient, source: `keystore ${file}` };
}
