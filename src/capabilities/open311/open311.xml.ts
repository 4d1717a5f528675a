/**
 * Open311 documents are built once as plain data in the spec's "Spark" shape, then written as JSON or
 * XML, so the two formats can never say different things:
 *   - JSON is the data as it is (the root name is dropped);
 *   - XML wraps it in the root element, and every array becomes a wrapper element holding one element
 *     per item, named in the singular (service_requests → request, attributes → attribute …).
 */
export type Scalar = string | number | boolean | null | undefined;
export type Data = Scalar | Data[] | { [key: string]: Data };

export type Format = 'xml' | 'json';

export const CONTENT_TYPES: Record<Format, string> = {
  xml: 'application/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Element names for the items of each list the spec and the mySociety extension use. */
const SINGULAR: Record<string, string> = {
  service_requests: 'request',
  service_requests_updates: 'request_update',
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};

function singular(name: string): string {
  return SINGULAR[name] ?? name.replace(/s$/, '');
}

/**
 * Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
 * dropped: residents' text can contain them, and one would make the whole document unreadable.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return (
    text
      .replace(NOT_XML, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // A bare carriage return would be read back as a newline; a character reference keeps it.
      .replace(/\r/g, '&#13;')
  );
}

function scalarText(value: Scalar): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return escapeXml(String(value));
}

function element(name: string, value: Data, depth: number): string {
  const pad = '  '.repeat(depth);
  if (Array.isArray(value)) {
    const item = singular(name);
    if (value.length === 0) return `${pad}<${name}/>`;
    const inner = value.map((v) => element(item, v, depth + 1)).join('\n');
    return `${pad}<${name}>\n${inner}\n${pad}</${name}>`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return `${pad}<${name}/>`;
    const inner = entries.map(([k, v]) => element(k, v, depth + 1)).join('\n');
    return `${pad}<${name}>\n${inner}\n${pad}</${name}>`;
  }
  const text = scalarText(value);
  return text === '' ? `${pad}<${name}/>` : `${pad}<${name}>${text}</${name}>`;
}

export function toXml(root: string, data: Data): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, data, 0)}\n`;
}

/** Absent values are written as null, so every field the spec names is always present. */
export function toJson(data: Data): string {
  return JSON.stringify(data, (_key, value: unknown) => (value === undefined ? null : value));
}

export function serialise(format: Format, root: string, data: Data): string {
  return format === 'xml' ? toXml(root, data) : toJson(data);
}
