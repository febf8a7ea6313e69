// What a command opens before it works: the environment, the chain (checked against the manifest),
// the API client, and for writes the signer; and, after a write, the optional wait for the mirror.

import { UsageError } from "../errors.ts";
import { type ApiClient, createApiClient } from "./api.ts";
import { type ChainContext, connectChain } from "./chain.ts";
import { readCliEnv } from "./env.ts";
import type { Output } from "./output.ts";
import { type SentWrite, sendWrite, type WriteCall } from "./send.ts";
import { resolveSigner, type Signer, type SignerOptions } from "./signer.ts";

export interface ReadSession {
  context: ChainContext;
  api: ApiClient;
}

export interface WriteSession extends ReadSession {
  signer: Signer;
}

/** The options of every write: who signs, and whether to wait for the mirror. */
export const WRITE_OPTIONS = {
  as: { type: "string" },
  keystore: { type: "string" },
  wait: { type: "boolean", default: false },
} as const;

/** Connects to the chain (and prepares the API client). */
export async function openSession(): Promise<ReadSession> {
  const env = readCliEnv();
  return { context: await connectChain(env), api: createApiClient(env.apiUrl) };
}

/** Connects to the chain and picks the signer. */
export async function openWriteSession(options: SignerOptions): Promise<WriteSession> {
  const session = await openSession();
  return { ...session, signer: await resolveSigner(session.context, options) };
}

/** The API client alone, for the commands that only read the mirror. */
export function openApi(): ApiClient {
  return createApiClient(readCliEnv().apiUrl);
}

/**
 * Sends `call` as the session's signer (see sendWrite: `doing` completes "Cannot …") and, with
 * --wait, waits for the mirror to index it.
 */
export async function sendAndWait(
  session: WriteSession,
  call: WriteCall,
  { doing, wait, out }: { doing: string; wait: boolean | undefined; out: Output },
): Promise<SentWrite> {
  const sent = await sendWrite(session.context, session.signer, out, call, doing);
  await waitForMirror(session, sent, wait, out);
  return sent;
}

/** With --wait: polls the API until its mirror has indexed the write's block (one minute at most). */
export async function waitForMirror(
  session: ReadSession,
  sent: SentWrite,
  wait: boolean | undefined,
  out: Output,
  timeoutMs = 60_000,
): Promise<void> {
  if (!wait) return;
  out.progress(`Waiting for the mirror to index block ${sent.blockNumber}…`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { indexingStatus } = await session.api.query<{ indexingStatus: { indexedBlock: number | null } }>(
      "{ indexingStatus { indexedBlock } }",
    );
    if (indexingStatus.indexedBlock !== null && BigInt(indexingStatus.indexedBlock) >= sent.blockNumber)
      return;
    if (Date.now() > deadline) {
      throw new UsageError(
        `The mirror has not indexed block ${sent.blockNumber} within ${timeoutMs / 1000}s (it is at ${indexingStatus.indexedBlock ?? "nothing yet"})`,
        "The transaction is on chain; check the indexer with `firm status`.",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
