import { randomBytes } from 'node:crypto';
import type { Database, Tx } from '../../platform/db/index.js';
import { publicActor, type Actor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { can } from '../../platform/auth/permissions.js';
import { hashToken, newSecretToken } from '../../platform/auth/tokens.js';
import type { ConcernsService } from '../concerns/concerns.service.js';
import { TOPICS, type AffectedGroup, type Topic } from '../concerns/vocabulary.js';
import { open311Repository, SENSITIVE_TOPICS, type RequestQuery } from './open311.repository.js';

/** Topics published by default when a partnership has not chosen; never the sensitive ones. */
export const DEFAULT_PUBLIC_TOPICS: readonly Topic[] = [
  'unsafe_place',
  'antisocial_behaviour',
  'access_inclusion',
  'idea',
  'something_else',
];

/** The spec's defaults: at most 1,000 requests, from the last 90 days. */
export const MAX_REQUESTS = 1000;
export const DEFAULT_WINDOW_DAYS = 90;

/** New keys carry a prefix so a leaked one is recognisable in logs and secret scanners. */
const KEY_PREFIX = 'heard311_';

/**
 * An attached photo or file arrives as a link; concerns have no column for it, so it is kept as the
 * description's last line (staff see it there) and read back out for the public feed.
 */
const MEDIA_MARKER = '\n\nMedia: ';

export function isSensitive(topic: string): boolean {
  return (SENSITIVE_TOPICS as readonly string[]).includes(topic);
}

/**
 * Which topics are published: the partnership's choice where it made one, the defaults otherwise,
 * and never a sensitive topic, whatever a row in the database says.
 */
export function publishedTopics(settings: readonly { topic: string; public: boolean }[]): Topic[] {
  const chosen = new Map(settings.map((s) => [s.topic, s.public]));
  return TOPICS.filter(
    (topic) => !isSensitive(topic) && (chosen.get(topic) ?? DEFAULT_PUBLIC_TOPICS.includes(topic)),
  );
}

export function withMedia(description: string, mediaUrl: string | undefined): string {
  return mediaUrl ? `${description}${MEDIA_MARKER}${mediaUrl}` : description;
}

export function splitMedia(stored: string): { text: string; mediaUrl: string | null } {
  const at = stored.lastIndexOf(MEDIA_MARKER);
  if (at < 0) return { text: stored, mediaUrl: null };
  const url = stored.slice(at + MEDIA_MARKER.length);
  if (!/^https?:\/\/\S+$/.test(url)) return { text: stored, mediaUrl: null };
  return { text: stored.slice(0, at), mediaUrl: url };
}

export interface Open311Submission {
  topic: Topic;
  description: string;
  latitude?: number | undefined;
  longitude?: number | undefined;
  addressString?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  mediaUrl?: string | undefined;
  whenText?: string | undefined;
  affectedGroups: AffectedGroup[];
  /** The client's "anonymous" attribute: keep no contact details even if some were sent. */
  anonymous: boolean;
}

export interface Open311Key {
  id: string;
  partnershipId: string;
  name: string;
}

/** The window a request list covers; the spec lets one call span at most 90 days. */
export function requestWindow(
  start: Date | undefined,
  end: Date | undefined,
  now: Date = new Date(),
): { ok: true; from: Date; to: Date } | { ok: false; problem: 'order' | 'span' } {
  const span = DEFAULT_WINDOW_DAYS * 24 * 60 * 60 * 1000;
  const from = start ?? new Date((end ?? now).getTime() - span);
  const to = end ?? (start ? new Date(start.getTime() + span) : now);
  if (to < from) return { ok: false, problem: 'order' };
  if (to.getTime() - from.getTime() > span) return { ok: false, problem: 'span' };
  return { ok: true, from, to };
}

export function createOpen311Service(db: Database, concerns: ConcernsService) {
  const settingsOf = (tx: Tx) => open311Repository.listServiceSettings(tx);

  function mayManage(actor: Actor): boolean {
    return can(actor.roles, 'staff.manage');
  }

  return {
    /** Every topic is a service (a client may report anything); `public` says whether it is published. */
    async services(partnershipId: string) {
      return db.tenant(partnershipId, async (tx) => {
        const settings = await settingsOf(tx);
        const published = new Set<string>(publishedTopics(settings));
        const keywords = new Map(settings.map((s) => [s.topic, s.keywords]));
        return TOPICS.map((topic) => ({
          topic,
          public: published.has(topic),
          keywords: keywords.get(topic) ?? null,
        }));
      });
    },

    /**
     * Which partnership an api_key belongs to. A key is accepted only on its own partnership's host,
     * so a key issued by one partnership can never file concerns with another.
     */
    async authenticate(
      hostPartnershipId: string,
      apiKey: string | undefined,
    ): Promise<
      { ok: true; key: Open311Key } | { ok: false; problem: 'missing' | 'invalid' | 'otherPartnership' }
    > {
      if (!apiKey) return { ok: false, problem: 'missing' };
      const key = await db.system((tx) => open311Repository.findActiveKey(tx, hashToken(apiKey)));
      if (!key) return { ok: false, problem: 'invalid' };
      if (key.partnershipId !== hostPartnershipId) return { ok: false, problem: 'otherPartnership' };
      return { ok: true, key };
    },

    async submit(key: Open311Key, input: Open311Submission, correlationId: string) {
      const named =
        !input.anonymous && Boolean(input.email || input.phone || input.firstName || input.lastName);
      const name = [input.firstName, input.lastName].filter(Boolean).join(' ');
      const token = randomBytes(16).toString('base64url');
      const created = await concerns.create(
        publicActor(key.partnershipId, correlationId, `Open311 client: ${key.name}`),
        {
          // An idea is a suggestion; everything else a client sends is a concern.
          kind: input.topic === 'idea' ? 'suggestion' : 'concern',
          topic: input.topic,
          description: withMedia(input.description, input.mediaUrl),
          placeDescription: input.addressString,
          latitude: input.latitude,
          longitude: input.longitude,
          open311Token: token,
          whenText: input.whenText,
          affectedGroups: input.affectedGroups,
          forGroup: false,
          anonymous: !named,
          contactName: named && name ? name : undefined,
          contactEmail: named ? input.email?.toLowerCase() : undefined,
          contactPhone: named ? input.phone : undefined,
          preferredContact: named ? (input.email ? 'email' : input.phone ? 'phone' : undefined) : undefined,
          consentToShare: false,
          channel: 'open311',
          source: key.name,
          language: 'en',
        },
        { within: (tx) => open311Repository.touchKey(tx, key.id) },
      );
      return { reference: created.reference, token };
    },

    /** Published requests only: the topic filter and the private flag are applied to every query. */
    async requests(
      partnershipId: string,
      query: Omit<RequestQuery, 'publicTopics' | 'limit'>,
      limit = MAX_REQUESTS,
    ) {
      return db.tenant(partnershipId, async (tx) => {
        const publicTopics = publishedTopics(await settingsOf(tx));
        return open311Repository.findRequests(tx, { ...query, publicTopics, limit });
      });
    },

    async referenceForToken(partnershipId: string, token: string) {
      return db.tenant(
        partnershipId,
        async (tx) => (await open311Repository.findByToken(tx, token))?.reference,
      );
    },

    async updates(partnershipId: string, from: Date, to: Date, limit = MAX_REQUESTS) {
      return db.tenant(partnershipId, async (tx) => {
        const publicTopics = publishedTopics(await settingsOf(tx));
        return open311Repository.findUpdates(tx, { publicTopics, from, to, limit });
      });
    },

    // -------------------------------------------------------------------------------------------
    // Administration: keys, and which topics are published

    async settings(actor: Actor) {
      if (!mayManage(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const published = new Set<string>(publishedTopics(await settingsOf(tx)));
        return {
          ok: true as const,
          keys: await open311Repository.listKeys(tx),
          topics: TOPICS.map((topic) => ({
            topic,
            public: published.has(topic),
            sensitive: isSensitive(topic),
          })),
        };
      });
    },

    /** The key is shown once; only its hash is kept. */
    async createKey(actor: Actor, name: string) {
      if (!mayManage(actor)) return { ok: false as const, problem: 'forbidden' as const };
      const secret = newSecretToken(KEY_PREFIX);
      return db.tenant(actor.partnershipId, async (tx) => {
        const key = await open311Repository.insertKey(tx, {
          partnershipId: actor.partnershipId,
          name,
          keyHash: hashToken(secret),
        });
        await audit(tx, actor, {
          action: 'open311.key.created',
          entityType: 'open311_key',
          entityId: key.id,
          details: { name },
        });
        return { ok: true as const, key, secret };
      });
    },

    async revokeKey(actor: Actor, id: string) {
      if (!mayManage(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const key = await open311Repository.revokeKey(tx, id);
        if (!key) return { ok: false as const, problem: 'notFound' as const };
        await audit(tx, actor, {
          action: 'open311.key.revoked',
          entityType: 'open311_key',
          entityId: key.id,
          details: { name: key.name },
        });
        return { ok: true as const, key };
      });
    },

    /** Sets every topic's flag; a sensitive topic is stored as not public even if asked. */
    async setPublicTopics(actor: Actor, topics: readonly string[]) {
      if (!mayManage(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const chosen = TOPICS.filter((t) => topics.includes(t) && !isSensitive(t));
        for (const topic of TOPICS) {
          await open311Repository.upsertServiceSetting(tx, {
            partnershipId: actor.partnershipId,
            topic,
            public: chosen.includes(topic),
          });
        }
        await audit(tx, actor, {
          action: 'open311.services.changed',
          entityType: 'partnership',
          entityId: actor.partnershipId,
          details: { public: chosen },
        });
        return { ok: true as const, public: chosen };
      });
    },
  };
}

/** For the demo seed: a known key and the default published topics. */
export async function seedOpen311(tx: Tx, partnershipId: string, key: { name: string; secret: string }) {
  await open311Repository.insertKey(tx, { partnershipId, name: key.name, keyHash: hashToken(key.secret) });
  for (const topic of TOPICS) {
    await open311Repository.upsertServiceSetting(tx, {
      partnershipId,
      topic,
      public: !isSensitive(topic) && DEFAULT_PUBLIC_TOPICS.includes(topic),
    });
  }
}

export type Open311Service = ReturnType<typeof createOpen311Service>;
