/** Every table, gathered for Drizzle and drizzle-kit. Each table is defined beside the code that owns it. */
export * from '../tenancy/tenancy.table.js';
export * from '../auth/auth.table.js';
export * from '../audit/audit.table.js';
export * from '../mail/outbox.table.js';
export * from '../../capabilities/concerns/concerns.table.js';
export * from '../../capabilities/share/share.table.js';
export * from '../../capabilities/email/email.table.js';
export * from '../../capabilities/open311/open311.table.js';
export * from '../../capabilities/insight/insight.table.js';
