import { describe, expect, it } from 'vitest';
import { DraftCache } from './draft-cache.js';

describe('DraftCache', () => {
  it('gives back what was last set for a key, and forgets a deleted one', () => {
    const cache = new DraftCache();
    cache.set('a', '{"kind":"concern"}');
    cache.set('a', '{"kind":"idea"}');
    expect(cache.get('a')).toBe('{"kind":"idea"}');
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('lets the least recently used go first when full', () => {
    const cache = new DraftCache(2);
    cache.set('a', '1');
    cache.set('b', '2');
    // Reading a makes b the least recently used.
    expect(cache.get('a')).toBe('1');
    cache.set('c', '3');
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('1');
    expect(cache.get('c')).toBe('3');
  });

  it('forgets drafts older than its time to live', () => {
    let now = 0;
    const cache = new DraftCache(10, 1000, () => now);
    cache.set('a', '1');
    now = 1000;
    expect(cache.get('a')).toBe('1');
    now = 1001;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
