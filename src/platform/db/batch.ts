/**
 * Groups work for the same key that arrives while earlier work for it is in hand, so it is done
 * together. For residents' submissions that means one transaction, and so one commit, for everyone
 * who pressed "Send" at about the same time: a commit (its round trips and its flush to disk) costs
 * more than the few rows each submission writes.
 *
 * Nothing waits on a timer. A lone item starts straight after the current turn of the event loop
 * (so items that arrived in the same turn go together), and under load batches grow by themselves
 * while the ones before are in flight. At most `max` items go in one batch, and at most `inFlight`
 * batches per key run at once.
 *
 * `run` answers each item separately, so one item's failure can be one item's alone.
 */
export function createBatcher<I, O>(
  run: (key: string, items: I[]) => Promise<PromiseSettledResult<O>[]>,
  options: { max: number; inFlight: number },
): (key: string, item: I) => Promise<O> {
  interface Waiting {
    item: I;
    resolve: (value: O) => void;
    reject: (reason: unknown) => void;
  }
  const queues = new Map<string, Waiting[]>();
  const running = new Map<string, number>();
  const scheduled = new Set<string>();

  function finished(key: string) {
    const left = (running.get(key) ?? 1) - 1;
    if (left > 0) running.set(key, left);
    else running.delete(key);
    pump(key);
  }

  function pump(key: string) {
    const queue = queues.get(key);
    while (queue && queue.length > 0 && (running.get(key) ?? 0) < options.inFlight) {
      const batch = queue.splice(0, options.max);
      running.set(key, (running.get(key) ?? 0) + 1);
      run(
        key,
        batch.map((w) => w.item),
      )
        .then(
          (results) =>
            batch.forEach((w, i) => {
              const result = results[i];
              if (!result) w.reject(new Error('The batch gave no answer for this item'));
              else if (result.status === 'fulfilled') w.resolve(result.value);
              else w.reject(result.reason);
            }),
          (err: unknown) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => finished(key));
    }
    if (queue?.length === 0 && !running.has(key)) queues.delete(key);
  }

  return (key, item) =>
    new Promise<O>((resolve, reject) => {
      let queue = queues.get(key);
      if (!queue) {
        queue = [];
        queues.set(key, queue);
      }
      queue.push({ item, resolve, reject });
      if (scheduled.has(key)) return;
      scheduled.add(key);
      setImmediate(() => {
        scheduled.delete(key);
        pump(key);
      });
    });
}
