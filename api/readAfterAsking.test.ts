import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readAfterAsking } from "./readAfterAsking.ts";

/**
 * A database whose one row is a commit counter: a read takes its snapshot when it is issued and
 * answers when the test says so, so the test controls every interleaving of reads and commits.
 */
function fakeDatabase() {
  let committed = 0;
  const pending: { resolve: (value: number) => void; reject: (error: Error) => void; snapshot: number }[] =
    [];
  let issued = 0;
  return {
    commit: () => {
      committed += 1;
    },
    committed: () => committed,
    issued: () => issued,
    pending: () => pending.length,
    read: () =>
      new Promise<number>((resolve, reject) => {
        issued += 1;
        pending.push({ resolve, reject, snapshot: committed });
      }),
    /** Answers the oldest read: with its snapshot, or with an error. */
    answerOldest: (fail = false) => {
      const read = pending.shift();
      if (!read) return;
      if (fail) read.reject(new Error("connection lost"));
      else read.resolve(read.snapshot);
    },
  };
}

const ticks = () => new Promise((resolve) => setImmediate(resolve));

describe("readAfterAsking", () => {
  it("never answers a caller with a read that started before its call (the stale-cache attack)", async () => {
    // The hostile order: a read starts, the indexer commits, a client that saw the commit asks while
    // the first read is still under way. Sharing that read would hide the commit from the client.
    const db = fakeDatabase();
    const read = readAfterAsking(db.read);
    const first = read();
    db.commit();
    const afterCommit = read();
    db.answerOldest();
    expect(await first).toBe(0);
    await ticks();
    db.answerOldest();
    expect(await afterCommit).toBe(1);
  });

  it("shares one read among everyone who asked while another ran", async () => {
    const db = fakeDatabase();
    const read = readAfterAsking(db.read);
    const first = read();
    const waiting = Array.from({ length: 31 }, () => read());
    expect(db.issued()).toBe(1);
    db.answerOldest();
    await first;
    await ticks();
    expect(db.issued()).toBe(2);
    db.answerOldest();
    expect(new Set(await Promise.all(waiting)).size).toBe(1);
    expect(db.issued()).toBe(2);
  });

  it("a failed read fails its callers only, and the next caller reads again", async () => {
    const db = fakeDatabase();
    const read = readAfterAsking(db.read);
    const failing = read();
    const queued = read();
    db.answerOldest(true);
    await expect(failing).rejects.toThrow("connection lost");
    await ticks();
    db.answerOldest();
    expect(await queued).toBe(0);
    const later = read();
    db.answerOldest();
    expect(await later).toBe(0);
    expect(db.issued()).toBe(3);
  });

  it("property: every answer is at least the commits made before the call, and reads never overlap", async () => {
    type Step = { kind: "ask" } | { kind: "commit" } | { kind: "answer"; fail: boolean } | { kind: "tick" };
    const step = fc.oneof(
      fc.constant<Step>({ kind: "ask" }),
      fc.constant<Step>({ kind: "commit" }),
      fc.boolean().map<Step>((fail) => ({ kind: "answer", fail })),
      fc.constant<Step>({ kind: "tick" }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const db = fakeDatabase();
        const read = readAfterAsking(db.read);
        const answers: Promise<void>[] = [];
        let asks = 0;
        for (const s of steps) {
          if (s.kind === "ask") {
            asks += 1;
            const seenCommits = db.committed();
            answers.push(
              read().then(
                (value) => expect(value).toBeGreaterThanOrEqual(seenCommits),
                () => undefined,
              ),
            );
          } else if (s.kind === "commit") db.commit();
          else if (s.kind === "answer") db.answerOldest(s.fail);
          else await ticks();
          expect(db.pending()).toBeLessThanOrEqual(1);
        }
        for (let i = 0; i < 2 * asks + 2; i++) {
          db.answerOldest();
          await ticks();
        }
        await Promise.all(answers);
        expect(db.issued()).toBeLessThanOrEqual(asks);
      }),
      { numRuns: 300 },
    );
  });
});
