import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import type { EmailService } from './email.service.js';

const params = z.object({ ref: z.string().max(40), id: z.uuid() });

/** `attachment; filename="…"` with an ASCII stand-in, plus the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Staff download a file that came with a concern; only if they can see the concern, and it is audited. */
export function emailRoutes(app: FastifyInstance, email: EmailService): void {
  app.get(
    paths.staff.concerns.attachment('__ref__', '__id__').replace('__ref__', ':ref').replace('__id__', ':id'),
    { preHandler: requireStaff() },
    async (request, reply) => {
      const parsed = params.safeParse(request.params);
      if (!parsed.success) return reply.sendError('notFound');
      const result = await email.attachment(
        staffActor(request.staff!, request.correlationId),
        parsed.data.ref,
        parsed.data.id,
      );
      if (!result.ok) return reply.sendError('notFound');
      return reply
        .header('Content-Type', result.file.contentType)
        .header('Content-Disposition', contentDisposition(result.file.filename))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'private, no-store')
        .header('Content-Security-Policy', "default-src 'none'; sandbox")
        .send(result.file.content);
    },
  );
}
