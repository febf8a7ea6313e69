// Many requests at once each need a fresh read of the same small row (the mirror's state, for the
// response cache's key and for every resolver's "now"). Sharing one read among them is only safe if
// that read started after each of them asked: a read already under way when a request arrives may
// have taken its snapshot before a commit the request's client has seen (the indexer's range, then
// the client's query), and the cache would serve an answer that commit changed.
//
// So at most one read runs at a time. A caller who arrives while it runs waits for the next one,
// which starts as the running one ends and is shared by everyone who arrived meanwhile. Under load a
// burst of requests costs two reads instead of one each; alone, a request costs one read, as before.

/**
 * Wraps `read` so that concurrent callers share reads, each getting the answer of a read that
 * started no earlier than its own call.
 *
 * @example
 * const readState = readAfterAsking(() => statements.mirrorState.execute({ chainId }));
 * const [a, b] = await Promise.all([readState(), readState()]); // one or two reads, never a stale one
 */
export function readAfterAsking<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let next: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const reading = read();
    running = reading;
    const done = () => {
      if (running === reading) running = undefined;
    };
    reading.then(done, done);
    return reading;
  };
  return () => {
    if (!running) return start();
    next ??= running.then(settled, settled).then(() => {
      next = undefined;
      return start();
    });
    return next;
  };
}

function settled(): void {}
