import { like } from 'drizzle-orm';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import type { TestApp, TestPartnership } from '../../../test/helpers/app.js';
import type { Actor } from '../../platform/auth/actor.js';
import { outbox } from '../../platform/mail/outbox.table.js';

/** Shared set-up for the programme's tests. */

export function actorOf(p: TestPartnership, local: string, organisation: string, roles: string[]): Actor {
  return {
    partnershipId: p.id,
    staffId: p.staff[p.email(local)]!,
    organisationId: p.organisations[organisation]!,
    roles,
    label: `${local} (test set-up)`,
    correlationId: 'test-setup',
  };
}
export const adminOf = (p: TestPartnership) => actorOf(p, 'admin', 'council', ['partnership_admin']);
export const triageOf = (p: TestPartnership) => actorOf(p, 'triage', 'council', ['triage_officer']);
export const policeOf = (p: TestPartnership) => actorOf(p, 'police', 'police', ['agency_officer']);
export const fireOf = (p: TestPartnership) => actorOf(p, 'fire', 'fire', ['agency_officer']);

/** A priority with two themes and one public action led by the police officer. */
export async function setUpProgramme(t: TestApp, p: TestPartnership) {
  const admin = adminOf(p);
  const svc = t.services.programme;
  const priority = await svc.savePriority(admin, undefined, {
    title: 'Tackle hate and disinformation',
    publicSummary: 'People told us about abuse in the street and false rumours online.',
    position: 1,
  });
  if (!priority.ok) throw new Error(priority.problem);
  const street = await svc.saveTheme(admin, undefined, {
    name: 'Street harassment',
    priorityId: priority.id,
    publicSummary: 'Abuse shouted at people on their way home.',
    retired: false,
  });
  const rumours = await svc.saveTheme(admin, undefined, {
    name: 'Online rumours',
    priorityId: priority.id,
    retired: false,
  });
  if (!street.ok || !rumours.ok) throw new Error('themes');
  const action = await svc.createAction(admin, {
    priorityId: priority.id,
    title: 'Hate crime reporting centres in libraries',
    description: 'Train library staff as third-party reporting centres.',
    leadOrganisationId: p.organisations.police!,
    leadStaffId: p.staff[p.email('police')]!,
    partnerOrganisationIds: [p.organisations.council!],
    areaIds: [],
    startDate: '2026-01-05',
    dueDate: '2027-03-31',
    public: true,
  });
  if (!action.ok) throw new Error(action.problem);
  return { priorityId: priority.id, streetId: street.id, rumoursId: rumours.id, actionId: action.id };
}

export function programmeMail(t: TestApp, p: TestPartnership) {
  return t.db.tenant(p.id, (tx) => tx.select().from(outbox).where(like(outbox.purpose, 'programme.%')));
}

/** Parses an Atom document after checking it is well-formed XML. */
export function parseAtom(body: string) {
  expect(XMLValidator.validate(body)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' }).parse(
    body,
  ) as {
    feed: {
      '@_xmlns': string;
      title: { '#text': string };
      entry?: { id: string; title: { '#text': string }; content: { '#text': string }; updated: string }[];
    };
  };
  expect(parsed.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
  return parsed.feed;
}
