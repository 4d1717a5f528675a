import { z } from 'zod';
import { checkboxList as list, optionalText, requiredText } from '../../platform/forms.js';
import { AFFECTED_GROUPS, EQUALITY_QUESTIONS, KINDS, TOPICS } from '../concerns/vocabulary.js';

/**
 * One schema per question page. Messages are translation keys; the route turns them into text and
 * links each to its field, as the GOV.UK error summary pattern asks.
 */
export const kindPage = z.object({
  kind: z.enum(KINDS, { error: 'share.errors.kindRequired' }),
});

export const topicPage = z.object({
  topic: z.enum(TOPICS, { error: 'share.errors.topicRequired' }),
});

export const detailsPage = z.object({
  description: requiredText(5000, 'share.errors.descriptionRequired', 'share.errors.descriptionTooLong'),
  whenText: optionalText(200, 'share.errors.whenTooLong'),
});

export const wherePage = z.object({
  // An area id is a uuid from the list; anything else would fail the database lookup on sending.
  areaId: optionalText(64, 'share.errors.areaInvalid').pipe(z.uuid('share.errors.areaInvalid').optional()),
  placeDescription: optionalText(500, 'share.errors.placeTooLong'),
});

export const groupsPage = z.object({
  affectedGroups: list.pipe(z.array(z.enum(AFFECTED_GROUPS, { error: 'share.errors.groupInvalid' }))),
});

export const whoPage = z
  .object({
    forGroup: z.enum(['yes', 'no'], { error: 'share.errors.forGroupRequired' }),
    groupName: optionalText(200, 'share.errors.groupNameTooLong'),
  })
  .superRefine((v, ctx) => {
    if (v.forGroup === 'yes' && !v.groupName)
      ctx.addIssue({ code: 'custom', path: ['groupName'], message: 'share.errors.groupNameRequired' });
  });

const email = z.string().trim().max(254, 'share.errors.emailTooLong').email('share.errors.emailInvalid');
const phone = z
  .string()
  .trim()
  .max(30, 'share.errors.phoneInvalid')
  .regex(/^\+?[0-9 ()-]{7,}$/, 'share.errors.phoneInvalid');

export const contactPage = z
  .object({
    contactMode: z.enum(['anonymous', 'named'], { error: 'share.errors.contactModeRequired' }),
    contactName: optionalText(200, 'share.errors.nameTooLong'),
    contactEmail: optionalText(254, 'share.errors.emailTooLong'),
    contactPhone: optionalText(30, 'share.errors.phoneInvalid'),
    preferredContact: z
      .union([z.enum(['email', 'phone']), z.literal('')], { error: 'share.errors.preferredRequired' })
      .optional()
      .transform((v) => v || undefined),
  })
  .superRefine((v, ctx) => {
    if (v.contactMode !== 'named') return;
    if (!v.contactName)
      ctx.addIssue({ code: 'custom', path: ['contactName'], message: 'share.errors.nameRequired' });
    if (!v.contactEmail && !v.contactPhone) {
      ctx.addIssue({ code: 'custom', path: ['contactEmail'], message: 'share.errors.emailOrPhoneRequired' });
    }
    if (v.contactEmail && !email.safeParse(v.contactEmail).success) {
      ctx.addIssue({ code: 'custom', path: ['contactEmail'], message: 'share.errors.emailInvalid' });
    }
    if (v.contactPhone && !phone.safeParse(v.contactPhone).success) {
      ctx.addIssue({ code: 'custom', path: ['contactPhone'], message: 'share.errors.phoneInvalid' });
    }
    if (v.contactEmail && v.contactPhone && !v.preferredContact) {
      ctx.addIssue({ code: 'custom', path: ['preferredContact'], message: 'share.errors.preferredRequired' });
    }
  })
  .transform((v) =>
    v.contactMode === 'anonymous'
      ? { contactMode: v.contactMode }
      : {
          ...v,
          preferredContact: v.preferredContact ?? (v.contactEmail ? ('email' as const) : ('phone' as const)),
        },
  );

export const consentPage = z.object({
  consentToShare: z.enum(['yes', 'no'], { error: 'share.errors.consentRequired' }),
});

const equalityShape = Object.fromEntries(
  Object.entries(EQUALITY_QUESTIONS).map(([q, answers]) => [
    q,
    z
      .union([z.enum(answers as unknown as [string, ...string[]]), z.literal('')], {
        error: 'share.errors.equalityInvalid',
      })
      .optional()
      .transform((v) => v || undefined),
  ]),
) as unknown as Record<keyof typeof EQUALITY_QUESTIONS, z.ZodType<string | undefined>>;
export const equalityPage = z.object(equalityShape);

/** Everything together, checked again before submitting, so a skipped page cannot slip through. */
export const completeAnswers = z.object({
  kind: kindPage.shape.kind,
  topic: topicPage.shape.topic,
  description: z.string().min(1),
  whenText: z.string().optional(),
  areaId: z.string().optional(),
  placeDescription: z.string().optional(),
  affectedGroups: z.array(z.enum(AFFECTED_GROUPS)).default([]),
  forGroup: z.enum(['yes', 'no']),
  groupName: z.string().optional(),
  contactMode: z.enum(['anonymous', 'named']),
  contactName: z.string().optional(),
  contactEmail: z.string().optional(),
  contactPhone: z.string().optional(),
  preferredContact: z.enum(['email', 'phone']).optional(),
  consentToShare: z.enum(['yes', 'no']),
  equality: z.record(z.string(), z.string()).optional(),
});
export type CompleteAnswers = z.infer<typeof completeAnswers>;

export const progressForm = z
  .object({
    reference: z
      .string()
      .trim()
      .min(1, 'share.progress.errors.referenceRequired')
      .max(40, 'share.progress.errors.referenceInvalid'),
    email: optionalText(254, 'share.errors.emailTooLong'),
    trackingCode: optionalText(20, 'share.progress.errors.codeInvalid'),
  })
  .superRefine((v, ctx) => {
    if (!v.email && !v.trackingCode)
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'share.progress.errors.emailOrCodeRequired' });
  });
