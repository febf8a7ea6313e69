// The page's browser wallet: finds the wallets the browser offers (EIP-6963, or the one EIP-1193
// window.ethereum of an older extension), connects one, and sends the firm's calls through it the way
// the CLI does (scripts/cli/lib/send.ts): simulate first, so a revert is said in the CLI's words
// (revertWords.js) and nothing is sent; then send, and wait for the receipt. The keys never leave the
// wallet: the page asks it to sign and send, and reads the chain through it. viem, the CLI's library,
// is loaded from the API's own /assets/vendor (an import map), and the ABIs from /assets/abi.json
// (contracts/abi.ts), only once someone connects.
import { describeRevert, errorsOf } from "./revertWords.js";

/** How long to wait for the EIP-6963 announcements, which wallets send at once when asked. */
const DISCOVERY_MS = 200;

/** EIP-1193's code for a request the person declined in their wallet. */
export const USER_REJECTED = 4001;
/** EIP-3326: the wallet does not know the chain it was asked to switch to. */
const UNKNOWN_CHAIN = 4902;

/**
 * @typedef {{ request(args: { method: string, params?: unknown }): Promise<any>, on?: Function, removeListener?: Function }} Eip1193Provider
 * @typedef {{ info: { uuid: string, name: string, icon?: string, rdns?: string }, provider: Eip1193Provider }} WalletOffer
 */

/**
 * The wallets in this browser: each that answers EIP-6963's request, or else window.ethereum.
 * @returns {Promise<WalletOffer[]>}
 */
export async function discoverWallets() {
  /** @type {Map<string, WalletOffer>} */
  const offers = new Map();
  const onAnnounce = (/** @type {any} */ event) => {
    const detail = event.detail;
    if (detail?.info?.uuid && typeof detail.provider?.request === "function")
      offers.set(detail.info.uuid, detail);
  };
  window.addEventListener("eip6963:announceProvider", onAnnounce);
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  await new Promise((resolve) => setTimeout(resolve, DISCOVERY_MS));
  window.removeEventListener("eip6963:announceProvider", onAnnounce);
  const legacy = /** @type {any} */ (window).ethereum;
  if (offers.size === 0 && typeof legacy?.request === "function") {
    return [{ info: { uuid: "window.ethereum", name: "Browser wallet" }, provider: legacy }];
  }
  return [...offers.values()];
}

/** viem and the ABIs, loaded once, on the first connection. */
let toolsPromise;

function loadTools() {
  toolsPromise ??= Promise.all([
    import("viem"),
    fetch("/assets/abi.json").then((response) => {
      if (!response.ok)
        throw new Error(`The page could not load the contracts' ABIs (HTTP ${response.status}).`);
      return response.json();
    }),
  ]).then(([viem, abis]) => ({
    viem,
    abis,
    // Every firm error on every call, so an error bubbled up from another contract is decoded.
    errors: errorsOf(Object.values(abis).filter(Array.isArray)),
  }));
  return toolsPromise;
}

/**
 * A connection to `offer`'s wallet: the account it shares and its chain, clients for reading and
 * sending through it, and the firm's contracts.
 * @param {WalletOffer} offer
 * @param {{ chainId: number, contracts: Record<string, string> }} firm
 */
export async function connectWallet(offer, firm) {
  const tools = await loadTools();
  const { viem } = tools;
  const { provider } = offer;
  const [account] = await provider.request({ method: "eth_requestAccounts" });
  if (!account)
    throw new Error("The wallet shared no account: unlock it and choose one, then connect again.");
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  const transport = viem.custom(provider);
  return {
    offer,
    tools,
    firm,
    address: viem.getAddress(account),
    chainId,
    // Polled for receipts: a second is quick on a dev chain and light on a wallet's node.
    publicClient: viem.createPublicClient({ transport, pollingInterval: 1_000 }),
    walletClient: viem.createWalletClient({ account: viem.getAddress(account), transport }),
  };
}

/** Asks the wallet to move to the firm's chain (EIP-3326); the wallet then says chainChanged. */
export async function switchChain(session) {
  await session.offer.provider.request({
    method: "wallet_switchEthereumChain",
    params: [{ chainId: `0x${session.firm.chainId.toString(16)}` }],
  });
}

/** A contract's ABI from abi.json by its contract name ("firmGovernor" → firmGovernorAbi). */
export function abiOf(session, contract) {
  return session.tools.abis[`${contract}Abi`];
}

/**
 * Reads a view of one of the firm's contracts through the wallet's node.
 * @param {any} session
 * @param {{ contract: string, address: string, functionName: string, args: unknown[] }} call
 */
export function readFirm(session, { contract, address, functionName, args }) {
  return session.publicClient.readContract({ address, abi: abiOf(session, contract), functionName, args });
}

/**
 * Simulates `call` as `account` (the connected one unless said), as the CLI's dry runs do; throws a
 * WalletError in the CLI's words if it would revert.
 * @param {any} session
 * @param {{ contract: string, address: string, functionName: string, args: unknown[], value?: bigint, account?: string }} call
 * @param {string} doing completes "Cannot …"
 */
export async function simulateFirm(session, call, doing) {
  try {
    return await session.publicClient.simulateContract({
      account: call.account ?? session.address,
      address: call.address,
      abi: [...abiOf(session, call.contract), ...session.tools.errors],
      functionName: call.functionName,
      args: call.args,
      value: call.value,
    });
  } catch (error) {
    throw explainFailure(session, error, doing);
  }
}

/**
 * Simulates `call` as the connected account, then has the wallet send it and waits for its receipt.
 * @returns {Promise<{ hash: string, blockNumber: bigint, logs: any[] }>}
 * @throws {WalletError}
 */
export async function sendFirm(session, call, doing) {
  const { request } = await simulateFirm(session, call, doing);
  let hash;
  try {
    hash = await session.walletClient.writeContract({ ...request, chain: null });
  } catch (error) {
    throw explainFailure(session, error, doing);
  }
  const receipt = await session.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    throw new WalletError(
      `Cannot ${doing}: the transaction ${hash} reverted in block ${receipt.blockNumber}, though its simulation passed. ` +
        "The chain changed in between (another transaction came first): try again.",
    );
  }
  return { hash, blockNumber: receipt.blockNumber, logs: receipt.logs };
}

/** A failure to tell the reader as is: a sentence, never a stack trace. */
export class WalletError extends Error {
  /** @param {string} message @param {{ hint?: string, code?: string }} [details] */
  constructor(message, { hint, code } = {}) {
    super(message);
    this.name = "WalletError";
    this.hint = hint;
    this.code = code;
  }
}

/** Whether `error`, or an error it wraps, is the wallet's EIP-1193 refusal with `code`. */
export function hasCode(error, code) {
  for (let e = error; e; e = e.cause) {
    if (e.code === code) return true;
  }
  return false;
}

/**
 * A failed simulation, signature or send as the CLI says it (reverts.ts explainFailure): a decoded
 * custom error in the firm's words, a declined request as such, anything else in viem's short words.
 */
export function explainFailure(session, error, doing) {
  if (error instanceof WalletError) return error;
  if (hasCode(error, USER_REJECTED)) {
    return new WalletError(`You declined in your wallet: nothing was sent (${doing}).`, { code: "REJECTED" });
  }
  const { viem } = session.tools;
  const reverted =
    error instanceof viem.BaseError
      ? error.walk((e) => e instanceof viem.ContractFunctionRevertedError)
      : null;
  if (reverted) {
    const decoded = reverted.data ?? decodeRaw(session, reverted.raw);
    if (decoded?.errorName && decoded.errorName !== "Error" && decoded.errorName !== "Panic") {
      const { message, hint } = describeRevert(
        decoded.errorName,
        decoded.args ?? [],
        session.tools.abis.ENUMS,
      );
      return new WalletError(`Cannot ${doing}: ${message}`, { hint, code: decoded.errorName });
    }
    if (reverted.reason) return new WalletError(`Cannot ${doing}: ${reverted.reason}`, { code: "Error" });
    return new WalletError(`Cannot ${doing}: the call reverted without a reason`, { code: "unknown" });
  }
  const short = error instanceof viem.BaseError ? error.shortMessage : String(error?.message ?? error);
  return new WalletError(`Cannot ${doing}: ${short.split("\n", 1)[0]}`);
}

function decodeRaw(session, raw) {
  if (!raw || raw === "0x") return undefined;
  try {
    return session.tools.viem.decodeErrorResult({ abi: session.tools.errors, data: raw });
  } catch {
    return { errorName: `unknown error ${raw.slice(0, 10)}`, args: [] };
  }
}

/** The words for a wallet that could not switch chains. */
export function describeSwitchFailure(error, chainId) {
  if (hasCode(error, USER_REJECTED))
    return "You declined to switch chains in your wallet: it stays where it is.";
  if (hasCode(error, UNKNOWN_CHAIN)) {
    return `Your wallet does not know chain ${chainId}: add the firm's network to it (its RPC URL is the firm's node), then switch to it.`;
  }
  return `Your wallet could not switch to chain ${chainId}: ${error?.message ?? error}. Switch to it in the wallet itself.`;
}
