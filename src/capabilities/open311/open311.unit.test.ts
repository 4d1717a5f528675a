import { describe, expect, it } from 'vitest';
import { TOPICS } from '../concerns/vocabulary.js';
import {
  parseDate,
  parseRequestsQuery,
  parseSubmission,
  serviceCodeOf,
  splitFile,
} from './open311.schema.js';
import { publishedTopics, requestWindow, splitMedia, withMedia } from './open311.service.js';
import { escapeXml, toJson, toXml } from './open311.xml.js';
import { parseXml } from './open311.test-helpers.js';

describe('XML and JSON from one structure', () => {
  it('wraps lists in singular elements and drops the root for JSON', () => {
    const data = [{ service_code: 'a', attributes: [{ code: 'x', values: [{ key: 1, name: 'One' }] }] }];
    const xml = toXml('services', data);
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<services>',
        '  <service>',
        '    <service_code>a</service_code>',
        '    <attributes>',
        '      <attribute>',
        '        <code>x</code>',
        '        <values>',
        '          <value>',
        '            <key>1</key>',
        '            <name>One</name>',
        '          </value>',
        '        </values>',
        '      </attribute>',
        '    </attributes>',
        '  </service>',
        '</services>',
        '',
      ].join('\n'),
    );
    parseXml(xml);
    expect(toJson(data)).toBe(
      '[{"service_code":"a","attributes":[{"code":"x","values":[{"key":1,"name":"One"}]}]}]',
    );
  });

  it('writes empty, null and boolean values as the spec shows them', () => {
    expect(toXml('errors', [])).toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors/>\n');
    const xml = toXml('service_requests', [{ a: null, b: undefined, c: true, d: false, e: '' }]);
    expect(xml).toContain('<a/>');
    expect(xml).toContain('<b/>');
    expect(xml).toContain('<c>true</c>');
    expect(xml).toContain('<d>false</d>');
    expect(xml).toContain('<e/>');
    expect(toJson([{ a: null, b: undefined }])).toBe('[{"a":null,"b":null}]');
  });

  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
    expect(escapeXml('bell\u0007 null\u0000 tab\t nl\n lone\uD800 emoji 🙂 \uFFFE')).toBe(
      'bell null tab\t nl\n lone emoji 🙂 ',
    );
    expect(escapeXml('a\rb')).toBe('a&#13;b');
    const xml = toXml('x', { description: ']]> <![CDATA[ & \u0001' });
    expect(parseXml(xml)).toEqual({ x: { description: ']]> <![CDATA[ &' } });
  });
});

describe('reading a POST body', () => {
  const body = (s: string) => new URLSearchParams(s);

  it('keeps repeated attribute[code][] values in order and normalises CRLF', () => {
    const parsed = parseSubmission(
      body(
        'description=a%0D%0Ab%0Dc&attribute[affected_groups][]=race&attribute[affected_groups][]=age' +
          '&attribute[affected_groups][]=race&attribute[when]=%20Fridays%20&lat=52.123456&long=-0.654321',
      ),
      'unsafe_place',
    );
    expect(parsed).toEqual({
      ok: true,
      value: expect.objectContaining({
        description: 'a\nb\nc',
        affectedGroups: ['race', 'age'],
        whenText: 'Fridays',
        latitude: 52.123456,
        longitude: -0.654321,
        anonymous: false,
      }),
    });
  });

  it('accepts a comma-separated multivaluelist and percent-encoded brackets', () => {
    const parsed = parseSubmission(
      body('description=x&attribute%5Baffected_groups%5D=disability%2Csex&attribute%5Banonymous%5D=YES'),
      'idea',
    );
    expect(parsed.ok && parsed.value).toMatchObject({
      affectedGroups: ['disability', 'sex'],
      anonymous: true,
    });
  });

  it('checks the service code first: missing is 400, unknown 404', () => {
    expect(serviceCodeOf(body(''))).toMatchObject({ ok: false, problem: { status: 400 } });
    expect(serviceCodeOf(body('service_code=pothole'))).toMatchObject({
      ok: false,
      problem: { status: 404 },
    });
    expect(serviceCodeOf(body('service_code=idea'))).toEqual({ ok: true, value: 'idea' });
  });

  it('refuses coordinates that are out of range, incomplete or not plain decimals', () => {
    for (const [lat, long] of [
      ['90.000001', '0'],
      ['0', '-180.5'],
      ['0x10', '1'],
      ['1e1', '1'],
      [' ', '1'],
      ['52,1', '1'],
    ]) {
      const parsed = parseSubmission(body(`description=x&lat=${lat}&long=${long}`), 'idea');
      expect(parsed.ok, `${lat},${long}`).toBe(false);
    }
    expect(parseSubmission(body('description=x&lat=-90&long=180'), 'idea').ok).toBe(true);
  });
});

describe('query parameters', () => {
  it('reads W3C dates, with a zone or as a bare date, and nothing else', () => {
    expect(parseDate('2026-03-01T10:00:00Z')).toEqual({ ok: true, value: new Date('2026-03-01T10:00:00Z') });
    expect(parseDate('2026-03-01T10:00:00 01:00')).toEqual({
      ok: true,
      value: new Date('2026-03-01T09:00:00Z'),
    });
    expect(parseDate('2026-03-01')).toEqual({ ok: true, value: new Date('2026-03-01T00:00:00Z') });
    expect(parseDate(undefined)).toEqual({ ok: true, value: undefined });
    for (const bad of ['2026-03-01T10:00:00', '01/03/2026', 'now', '2026-13-45T99:00:00Z', ['a']])
      expect(parseDate(bad).ok, String(bad)).toBe(false);
  });

  it('takes comma-separated ids (any case or spacing) and refuses unknown statuses', () => {
    const parsed = parseRequestsQuery({
      service_request_id: 'abcd efgh jkm, nonsense',
      status: 'open,closed',
    });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.states).toEqual(['open', 'closed']);
    expect(parseRequestsQuery({ status: 'archived' }).ok).toBe(false);
    expect(parseRequestsQuery({ service_request_id: Array(101).fill('X').join(',') }).ok).toBe(false);
  });

  it('splits a file name into what is asked for and the format', () => {
    expect(splitFile('ABCD-EFGH-JKM.json')).toEqual({ name: 'ABCD-EFGH-JKM', format: 'json' });
    expect(splitFile('idea.xml')).toEqual({ name: 'idea', format: 'xml' });
    expect(splitFile('idea.html')).toBeUndefined();
  });

  it('defaults to the last 90 days and refuses wider or backwards windows', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const day = 24 * 60 * 60 * 1000;
    expect(requestWindow(undefined, undefined, now)).toEqual({
      ok: true,
      from: new Date(now.getTime() - 90 * day),
      to: now,
    });
    const start = new Date('2026-01-01T00:00:00Z');
    expect(requestWindow(start, undefined, now)).toEqual({
      ok: true,
      from: start,
      to: new Date(start.getTime() + 90 * day),
    });
    expect(requestWindow(start, new Date('2026-05-01T00:00:00Z'), now)).toEqual({
      ok: false,
      problem: 'span',
    });
    expect(requestWindow(now, start, now)).toEqual({ ok: false, problem: 'order' });
  });
});

describe('what is published', () => {
  it('never publishes a sensitive topic, whatever the settings say', () => {
    expect(publishedTopics([])).toEqual([
      'unsafe_place',
      'antisocial_behaviour',
      'access_inclusion',
      'idea',
      'something_else',
    ]);
    const everything = TOPICS.map((topic) => ({ topic, public: true }));
    expect(publishedTopics(everything)).not.toContain('hate_harassment');
    expect(publishedTopics(everything)).not.toContain('hate_disinformation');
    expect(publishedTopics(everything)).not.toContain('community_tensions');
    expect(publishedTopics([{ topic: 'idea', public: false }])).not.toContain('idea');
  });

  it('keeps a media link with the description and reads it back', () => {
    const stored = withMedia('Broken light', 'https://example.org/a.jpg');
    expect(splitMedia(stored)).toEqual({ text: 'Broken light', mediaUrl: 'https://example.org/a.jpg' });
    expect(splitMedia('No link here')).toEqual({ text: 'No link here', mediaUrl: null });
    expect(splitMedia('Text\n\nMedia: not a link')).toEqual({
      text: 'Text\n\nMedia: not a link',
      mediaUrl: null,
    });
  });
});
