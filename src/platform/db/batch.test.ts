import { describe, expect, it } from 'vitest';
import { createBatcher } from './batch.js';

/** A run that records each batch and answers every item doubled, or fails items named "bad". */
function recorder(options: { max: number; inFlight: number }) {
  const batches: { key: string; items: string[] }[] = [];
  const gates: (() => void)[] = [];
  let hold = false;
  const add = createBatcher<string, string>(async (key, items) => {
    batches.push({ key, items });
    if (hold) await new Promise<void>((resolve) => gates.push(resolve));
    return items.map((item): PromiseSettledResult<string> =>
      item === 'bad'
        ? { status: 'rejected', reason: new Error(`${item} failed`) }
        : { status: 'fulfilled', value: item + item },
    );
  }, options);
  return {
    add,
    batches,
    hold: (on: boolean) => (hold = on),
    release: () => gates.splice(0).forEach((open) => open()),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createBatcher', () => {
  it('runs items that arrive together as one batch, answering each its own result', async () => {
    const r = recorder({ max: 10, inFlight: 1 });
    const answers = await Promise.all([r.add('p', 'a'), r.add('p', 'b'), r.add('p', 'c')]);
    expect(answers).toEqual(['aa', 'bb', 'cc']);
    expect(r.batches).toEqual([{ key: 'p', items: ['a', 'b', 'c'] }]);
  });

  it('keeps keys apart', async () => {
    const r = recorder({ max: 10, inFlight: 1 });
    await Promise.all([r.add('p', 'a'), r.add('q', 'b'), r.add('p', 'c')]);
    expect(r.batches).toEqual([
      { key: 'p', items: ['a', 'c'] },
      { key: 'q', items: ['b'] },
    ]);
  });

  it('puts no more than max items in a batch', async () => {
    const r = recorder({ max: 2, inFlight: 1 });
    const answers = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => r.add('p', x)));
    expect(answers).toEqual(['aa', 'bb', 'cc', 'dd', 'ee']);
    expect(r.batches.map((b) => b.items)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('gathers what arrives while a batch is in flight into the next one', async () => {
    const r = recorder({ max: 10, inFlight: 1 });
    r.hold(true);
    const first = r.add('p', 'a');
    await tick();
    expect(r.batches).toHaveLength(1);
    const later = [r.add('p', 'b'), r.add('p', 'c')];
    await tick();
    // Still one batch: the next waits for the one in flight.
    expect(r.batches).toHaveLength(1);
    r.hold(false);
    r.release();
    expect(await Promise.all([first, ...later])).toEqual(['aa', 'bb', 'cc']);
    expect(r.batches.map((b) => b.items)).toEqual([['a'], ['b', 'c']]);
  });

  it('runs up to inFlight batches of a key at once', async () => {
    const r = recorder({ max: 1, inFlight: 2 });
    r.hold(true);
    const all = ['a', 'b', 'c'].map((x) => r.add('p', x));
    await tick();
    expect(r.batches.map((b) => b.items)).toEqual([['a'], ['b']]);
    r.hold(false);
    r.release();
    expect(await Promise.all(all)).toEqual(['aa', 'bb', 'cc']);
  });

  it('fails only the item whose result failed', async () => {
    const r = recorder({ max: 10, inFlight: 1 });
    const results = await Promise.allSettled([r.add('p', 'a'), r.add('p', 'bad'), r.add('p', 'c')]);
    expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad failed'));
  });

  it('fails every item of a batch whose run failed, and carries on with the next', async () => {
    let calls = 0;
    const add = createBatcher<string, string>(
      async (_key, items) => {
        calls++;
        if (calls === 1) throw new Error('database down');
        return items.map((item) => ({ status: 'fulfilled', value: item }));
      },
      { max: 10, inFlight: 1 },
    );
    const first = await Promise.allSettled([add('p', 'a'), add('p', 'b')]);
    expect(first.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect(await add('p', 'c')).toBe('c');
  });
});
