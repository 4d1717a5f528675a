import type { Translate } from '../../platform/i18n/index.js';
import type { HeadEvaluation, HeadName } from './model.js';
import type { SuggestionsService } from './suggestions.service.js';

type Overview = Extract<Awaited<ReturnType<SuggestionsService['overview']>>, { ok: true }>;

/** The admin page's figures as text: percentages, and labels as people know them (names, not ids). */
export function adminView(overview: Overview, t: Translate, lang: string) {
  const pct = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const labelName = (head: HeadName, label: string) =>
    head === 'topic'
      ? t(`share.vocab.topic.${label}`)
      : (overview.organisationNames[label] ?? t('suggestions.admin.formerOrganisation'));
  const head = (name: HeadName, e: HeadEvaluation | undefined) =>
    e
      ? {
          name,
          heldOut: e.heldOut,
          accuracy: pct.format(e.accuracy),
          baseline: pct.format(e.baseline),
          coverage: pct.format(e.coverage),
          accuracyWhenSuggested: pct.format(e.accuracyWhenSuggested),
          labels: e.labels.map((l) => ({
            name: labelName(name, l.label),
            examples: l.examples,
            correct: l.correct,
          })),
        }
      : { name, missing: true };
  const [current, ...older] = overview.models;
  return {
    current: current
      ? {
          trainedAt: current.createdAt,
          trigger: current.trigger,
          examples: current.examples,
          heldOut: current.heldOut,
          heads: [head('topic', current.evaluation.heads.topic), head('lead', current.evaluation.heads.lead)],
        }
      : undefined,
    history: older.map((m) => ({
      trainedAt: m.createdAt,
      trigger: m.trigger,
      examples: m.examples,
      topicAccuracy: m.evaluation.heads.topic ? pct.format(m.evaluation.heads.topic.accuracy) : '–',
      leadAccuracy: m.evaluation.heads.lead ? pct.format(m.evaluation.heads.lead.accuracy) : '–',
    })),
    decisions: {
      accepted: overview.decisions.accepted ?? 0,
      changed: overview.decisions.changed ?? 0,
      dismissed: overview.decisions.dismissed ?? 0,
    },
  };
}
