import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import { emailRoutes } from './email.routes.js';

export { createSmtpListener, type SmtpListener } from './email.inbound.js';
export { createImapPoller, type ImapPoller } from './email.imap.js';
export { createEmailService, type EmailService } from './email.service.js';

/**
 * Email in: the SMTP listener and IMAP poller (started by src/server.ts or scripts/smtp-listener.ts,
 * never by the app) and, here, the staff download of attachments that came with a concern.
 */
export const emailCapability: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  emailRoutes(app, opts.services.email);
};
