// The mirror's identity and progress: which deployment it mirrors, its checkpoint, how far undo data
// was pruned, and a revision that every write bumps. One row per database, locked by each write.
import { eq, sql } from "drizzle-orm";
import type { Hex } from "viem";
import { CONTRACT_NAMES, type Manifest } from "../../contracts/manifest.ts";
import type { Database } from "./db.ts";
import { MirrorIdentityError } from "./errors.ts";
import { mirrorState } from "./schema.ts";
import type { Transaction } from "./sql.ts";

export type MirrorState = typeof mirrorState.$inferSelect;

/** The manifest's addresses, lowercase, in the manifest's order: what identifies a deployment. */
export function deploymentContracts(manifest: Manifest): Record<string, string> {
  return Object.fromEntries(CONTRACT_NAMES.map((name) => [name, manifest.contracts[name].toLowerCase()]));
}

/**
 * Throws unless the database mirrors nothing yet or exactly this deployment: the derived tables hold
 * one firm, so a second chain or deployment in the same database would mix two firms' rows.
 */
export async function assertMirrorsDeployment(
  db: Database,
  chainId: number,
  manifest: Manifest,
): Promise<void> {
  for (const state of await db.select().from(mirrorState)) {
    if (state.chainId !== chainId) {
      throw new MirrorIdentityError(`it holds chain ${state.chainId}, the manifest is for chain ${chainId}`);
    }
    assertSameDeployment(state, manifest);
  }
}

function assertSameDeployment(state: MirrorState, manifest: Manifest): void {
  const expected = deploymentContracts(manifest);
  for (const name of CONTRACT_NAMES) {
    if (state.contracts[name] !== expected[name]) {
      throw new MirrorIdentityError(
        `its ${name} is ${state.contracts[name]}, the manifest's is ${expected[name]}`,
      );
    }
  }
  if (state.startBlock !== manifest.startBlock) {
    throw new MirrorIdentityError(
      `it starts at block ${state.startBlock}, the manifest at ${manifest.startBlock}`,
    );
  }
}

/** Reads the state row of `chainId`, if any. */
export async function readMirrorState(db: Database, chainId: number): Promise<MirrorState | undefined> {
  const [state] = await db.select().from(mirrorState).where(eq(mirrorState.chainId, chainId));
  return state;
}

/**
 * Reads and locks the state row of `chainId` for the rest of the transaction, creating it for an
 * empty mirror, so that two writers can never interleave.
 */
export async function lockMirrorState(
  tx: Transaction,
  chainId: number,
  manifest: Manifest,
): Promise<MirrorState> {
  await tx
    .insert(mirrorState)
    .values({
      chainId,
      contracts: deploymentContracts(manifest),
      startBlock: manifest.startBlock,
      revision: 0,
      updatedAt: new Date(),
    })
    .onConflictDoNothing();
  const [state] = await tx.select().from(mirrorState).where(eq(mirrorState.chainId, chainId)).for("update");
  if (!state) throw new Error(`mirror_state has no row for chain ${chainId} right after creating it`);
  assertSameDeployment(state, manifest);
  return state;
}

/** Moves the checkpoint (null: empty mirror) and sets the revision. */
export async function saveCheckpoint(
  tx: Transaction,
  chainId: number,
  checkpoint: { blockNumber: number; blockHash: Hex } | null,
  revision: number,
): Promise<void> {
  await tx
    .update(mirrorState)
    .set({
      checkpointBlock: checkpoint?.blockNumber ?? null,
      checkpointHash: checkpoint?.blockHash ?? null,
      revision,
      updatedAt: sql`now()`,
    })
    .where(eq(mirrorState.chainId, chainId));
}
