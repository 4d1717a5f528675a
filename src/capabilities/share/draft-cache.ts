/**
 * The drafts this server last wrote or read, as the JSON stored, so that sending one needs no read
 * first: the submission takes the draft only if it still holds exactly this JSON
 * (`shareRepository.takeUnchanged`), and otherwise falls back to reading it. The database stays the
 * only truth; a draft changed on another server, or evicted here, just costs the read.
 *
 * Bounded by count and age: at most `max` drafts (the least recently used go first), none older than
 * `ttlMs`, since a resident who left an hour ago is not about to press Send.
 */
export class DraftCache {
  private readonly entries = new Map<string, { json: string; at: number }>();

  constructor(
    private readonly max = 5_000,
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.now() - entry.at > this.ttlMs) return undefined;
    // Re-inserted, so the Map's order stays least recently used first.
    this.entries.set(key, entry);
    return entry.json;
  }

  set(key: string, json: string): void {
    this.entries.delete(key);
    this.entries.set(key, { json, at: this.now() });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
