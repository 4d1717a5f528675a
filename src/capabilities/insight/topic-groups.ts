import { TOPICS, type Topic } from '../concerns/vocabulary.js';

/**
 * Topics analysts often ask about together, offered in the dashboard's topic filter beside the
 * single topics. "Hate-related" is every topic about hate: hate and harassment aimed at people, and
 * hate or disinformation being spread. Tensions between communities are not counted as hate: they
 * have their own topic and their own picture (the tension capability).
 */
export const TOPIC_GROUPS = {
  hate_related: ['hate_harassment', 'hate_disinformation'],
} as const satisfies Record<string, readonly Topic[]>;

export type TopicGroup = keyof typeof TOPIC_GROUPS;
export const TOPIC_GROUP_KEYS = Object.keys(TOPIC_GROUPS) as TopicGroup[];

/** What the topic filter may hold: one topic, or a group of them. */
export const TOPIC_CHOICES = [...TOPICS, ...TOPIC_GROUP_KEYS] as const;
export type TopicChoice = Topic | TopicGroup;

export function isTopicGroup(value: string | undefined): value is TopicGroup {
  return value !== undefined && Object.hasOwn(TOPIC_GROUPS, value);
}

/** The topics a filter value stands for; undefined when there is no topic filter. */
export function topicsOf(choice: string | undefined): readonly string[] | undefined {
  if (!choice) return undefined;
  return isTopicGroup(choice) ? TOPIC_GROUPS[choice] : [choice];
}
