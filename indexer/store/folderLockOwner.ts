// The contents of a PGlite folder's lock file (./folderLock.ts), in a file of its own so that the
// error naming the holder (./errors.ts) and the lock that writes it share the type without importing
// each other.

/** What a lock file says about the process that holds the folder. */
export interface FolderLockOwner {
  pid: number;
  hostname: string;
  /** When the owning process started (ISO 8601). */
  processStartedAt: string;
  /**
   * The kernel's start time of the process (Linux: /proc/<pid>/stat), to tell it from a later
   * process that was given the same pid; absent elsewhere.
   */
  processStartTicks?: string | undefined;
  /** When the lock was taken (ISO 8601). */
  lockedAt: string;
  /** The owner's command line, shortened, with URLs redacted. */
  command: string;
}
