// The mirror's errors. All are fatal (kernel/errors.ts): retrying the same call fails the same way
// until a person fixes something (the code, the manifest, the ABI, the database), so the sync engine
// must stop and say so. Database errors are passed through untouched: the engine's isRetryable tells a
// dropped connection from a bug by the driver's SQLSTATE code.
import { FatalError } from "../../kernel/errors.ts";
import type { FolderLockOwner } from "./folderLockOwner.ts";

/** Where a log sits on the chain: what a person needs to find it in an explorer. */
export interface LogCoordinates {
  blockNumber: bigint | number;
  transactionHash: string;
  logIndex: number;
  address?: string;
}

function describeLog(log: LogCoordinates): string {
  const at = `block ${log.blockNumber}, tx ${log.transactionHash}, log index ${log.logIndex}`;
  return log.address ? `${at}, address ${log.address}` : at;
}

/** A log from a firm contract that the ABIs in contracts/abi.ts cannot decode. */
export class LogDecodeError extends FatalError {
  override name = "LogDecodeError";
  constructor(log: LogCoordinates & { topic0?: string | undefined }, problem: string, cause?: unknown) {
    super(`Cannot decode the log at ${describeLog(log)}: ${problem}.`, {
      cause,
      hints: [
        `Its topic0 is ${log.topic0 ?? "(none)"}.`,
        "The deployed contract emits an event the ABI does not know: rebuild the ABIs (npm run build)",
        "from the deployed sources, or check that the manifest's addresses are the firm's contracts.",
      ],
    });
  }
}

/** A handler threw on an event: carries the event's coordinates (Ponder's `toErrorMeta`). */
export class HandlerError extends FatalError {
  override name = "HandlerError";
  constructor(event: LogCoordinates & { contract: string; eventName: string }, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Handling ${event.contract}.${event.eventName} at ${describeLog(event)} failed: ${reason}.`, {
      cause,
      hints: [
        "Nothing of the range was written. This is a bug in indexer/handlers, or a mirror that",
        "diverged from the chain: run the audit, then re-index into an empty database.",
      ],
    });
  }
}

/** The range is not the next one, or is malformed. */
export class BlockRangeError extends FatalError {
  override name = "BlockRangeError";
  constructor(problem: string, hints: string[] = []) {
    super(`Cannot apply the block range: ${problem}.`, {
      hints: [...hints, "Resume from the store's checkpoint()."],
    });
  }
}

/** A rollback that the remembered undo data cannot honour. */
export class RollbackError extends FatalError {
  override name = "RollbackError";
  constructor(problem: string, hints: string[] = []) {
    super(`Cannot roll back: ${problem}.`, { hints });
  }
}

/** The database belongs to another deployment or chain than the manifest. */
export class MirrorIdentityError extends FatalError {
  override name = "MirrorIdentityError";
  constructor(problem: string) {
    super(`This database mirrors another deployment: ${problem}.`, {
      hints: ["Point DATABASE_URL or the data folder at this deployment's mirror, or use an empty database."],
    });
  }
}

/** The database schema is not the one this code expects. */
export class SchemaVersionError extends FatalError {
  override name = "SchemaVersionError";
  constructor({ unknownMigrations }: { unknownMigrations?: number[] } = {}) {
    const newer = unknownMigrations !== undefined && unknownMigrations.length > 0;
    super(
      newer
        ? `The database has migrations this code does not ship (${unknownMigrations.join(", ")}).`
        : "The database schema is missing or out of date.",
      {
        hints: newer
          ? ["It was migrated by a newer version of the indexer: run that version, or use another database."]
          : ["Run migrateDatabase(db) (indexer/store/migrate.ts) before opening the store."],
      },
    );
  }
}

/** A call on a store after close(). */
export class StoreClosedError extends FatalError {
  override name = "StoreClosedError";
  constructor() {
    super("The store is closed.", { hints: ["Open a new one with createStore()."] });
  }
}

/** The audit cannot compare the mirror at the block asked for. */
export class AuditError extends FatalError {
  override name = "AuditError";
}

/** Another live process holds the PGlite data folder (./folderLock.ts): PGlite admits one process. */
export class DataFolderInUseError extends FatalError {
  override name = "DataFolderInUseError";
  readonly dataDir: string;
  readonly lockPath: string;
  readonly owner: FolderLockOwner | undefined;
  constructor({ dataDir, lockPath, owner, otherHost }: DataFolderInUseParameters) {
    const who = owner
      ? `pid ${owner.pid}${otherHost ? ` on host ${owner.hostname}` : ""}, since ${owner.lockedAt}${owner.command ? ` (${owner.command})` : ""}`
      : "another process";
    super(`The PGlite folder ${dataDir} is in use by another process: ${who}.`, {
      hints: [
        `PGlite admits one process per data folder: a second one would read a stale mirror, or write beside the first. The lock file ${lockPath} says who holds it.`,
        owner && !otherHost
          ? `Stop that process (kill ${owner.pid}) and run this again, or set DATA_DIR to another folder.`
          : "Stop that process and run this again, or set DATA_DIR to another folder.",
        "To audit or query a live mirror: use the API of the process that holds it (`npm start` serves it at /graphql), or stop that process first and then run `firm audit`; or keep the mirror in PostgreSQL (DATABASE_URL), which `firm index`, `firm serve` and `firm audit` can share.",
        ...(otherHost && owner
          ? [
              `That process runs on host ${owner.hostname}, so this one cannot tell whether it is still alive: if it is not, delete ${lockPath}.`,
            ]
          : []),
      ],
    });
    this.dataDir = dataDir;
    this.lockPath = lockPath;
    this.owner = owner;
  }
}

export interface DataFolderInUseParameters {
  dataDir: string;
  lockPath: string;
  /** What the lock file says; undefined if it could not be read. */
  owner: FolderLockOwner | undefined;
  /** The owner runs on another host (a shared folder), so whether it is alive is unknown. */
  otherHost: boolean;
}
