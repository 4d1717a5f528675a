import type { FastifyInstance, FastifyRequest } from 'fastify';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { parseForm } from '../../platform/forms.js';
import { paths, withQuery } from '../../platform/paths.js';
import { refRoute } from '../concerns/concerns.routes.js';
import { formatReference, normaliseReference } from '../concerns/reference.js';
import { adminView } from './admin-view.js';
import { decideForm } from './suggestions.schema.js';
import type { SuggestionsService } from './suggestions.service.js';

const REF = '__ref__';

/** The decision form posted from the concern page, and the classifier's admin page. */
export function suggestionsPages(app: FastifyInstance, suggestions: SuggestionsService) {
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  app.post(
    refRoute(paths.suggestions.decide(REF)),
    { preHandler: requireStaff('concerns.triage') },
    async (request, reply) => {
      const { ref } = request.params as { ref: string };
      const reference = normaliseReference(ref);
      if (!reference) return reply.sendError('notFound');
      const parsed = parseForm(decideForm, request.body, request.t);
      if (!parsed.ok) return reply.sendError('badRequest', parsed.errors[0]?.text);
      const v = parsed.value;
      const outcome = await suggestions.decide(actor(request), reference, {
        decision: v.decision,
        topic: v.topic,
        leadOrganisationId: v.lead,
      });
      if (!outcome.ok) {
        if (outcome.problem === 'notFound') return reply.sendError('notFound');
        if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
        // The form offers only valid choices; a refusal here is a closed concern or a stale page.
        reply.code(400);
        return reply.view('suggestions/views/problem.njk', {
          pageTitle: request.t('suggestions.problem.title'),
          message: request.t(`suggestions.problems.${outcome.problem}`),
          backUrl: paths.staff.concerns.show(formatReference(reference)),
        });
      }
      return reply.redirect(`${paths.staff.concerns.show(formatReference(reference))}#suggestion`);
    },
  );

  const manage = { preHandler: requireStaff('suggestions.manage') };

  app.get(paths.suggestions.admin(), manage, async (request, reply) => {
    const result = await suggestions.overview(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    const notice = (request.query as { notice?: string } | undefined)?.notice;
    return reply.view('suggestions/views/admin.njk', {
      pageTitle: request.t('suggestions.admin.title'),
      notice: notice === 'retrained' ? notice : undefined,
      ...adminView(result, request.t, request.lang),
    });
  });

  app.post(paths.suggestions.retrain(), manage, async (request, reply) => {
    const result = await suggestions.retrainNow(actor(request));
    if (!result.ok) return reply.sendError('forbidden');
    return reply.redirect(withQuery(paths.suggestions.admin(), { notice: 'retrained' }));
  });
}
