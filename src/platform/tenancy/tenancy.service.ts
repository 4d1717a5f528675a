import type { Database } from '../db/index.js';
import { tenancyRepository } from './tenancy.repository.js';

export interface PartnershipSummary {
  id: string;
  slug: string;
  name: string;
  shortName: string;
  hostnames: string[];
  inboundAddresses: string[];
}

export interface PartnershipDirectory {
  /** The partnership serving this host name; the first partnership when no host matches. */
  forHost(hostname: string): Promise<PartnershipSummary>;
  byId(id: string): Promise<PartnershipSummary | undefined>;
  /**
   * The partnership from the cache only, never touching the database: for callers already inside a
   * transaction, where opening another could wait on the one they hold (PGlite has one connection).
   */
  cached(id: string): PartnershipSummary | undefined;
  all(): Promise<PartnershipSummary[]>;
  /** Forget the cache, after partnerships are added. */
  refresh(): void;
}

/**
 * Partnerships change rarely and are read on every request, so they are cached in memory and
 * re-read at most once a minute (or on refresh()). That keeps app servers stateless but cheap.
 */
export function createPartnershipDirectory(db: Database, ttlMs = 60_000): PartnershipDirectory {
  let cache: { at: number; list: PartnershipSummary[] } | undefined;
  async function load(): Promise<PartnershipSummary[]> {
    if (!cache || Date.now() - cache.at > ttlMs) {
      const list = await db.system((tx) => tenancyRepository.listPartnerships(tx));
      cache = { at: Date.now(), list };
    }
    return cache.list;
  }
  return {
    async forHost(hostname) {
      const list = await load();
      const host = hostname.split(':')[0]!.toLowerCase();
      const found = list.find((p) => p.hostnames.includes(host)) ?? list[0];
      if (!found) throw new Error('No partnership is set up yet: run the seed or create one.');
      return found;
    },
    async byId(id) {
      const list = await load();
      const found = list.find((p) => p.id === id);
      if (found) return found;
      cache = undefined;
      return (await load()).find((p) => p.id === id);
    },
    cached(id) {
      if (!cache || Date.now() - cache.at > ttlMs) return undefined;
      return cache.list.find((p) => p.id === id);
    },
    all: load,
    refresh() {
      cache = undefined;
    },
  };
}
