/** Every table, gathered for Drizzle and drizzle-kit. Each table is defined beside the code that owns it. */
export * from '../tenancy/tenancy.table.js';
export * from '../auth/auth.table.js';
export * from '../audit/audit.table.js';
export * from '../mail/outbox.table.js';
export * from '../../capabilities/concerns/concerns.table.js';
export * from '../../capabilities/share/share.table.js';
export * from '../../capabilities/email/email.table.js';
export * from '../../capabilities/open311/open311.table.js';
export * from '../../capabilities/engagement/engagement.table.js';
export * from '../../capabilities/tension/tension.table.js';
export * from '../../capabilities/resettlement/resettlement.table.js';
export * from '../../capabilities/places/places.table.js';
export * from '../../capabilities/suggestions/suggestions.table.js';
export * from '../../capabilities/programme/programme.table.js';
export * from '../../capabilities/forums/forums.table.js';
export * from '../../capabilities/insight/insight.table.js';
