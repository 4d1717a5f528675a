/**
 * A minimal multipart/form-data reader for the boundary upload form, so the file input works without
 * JavaScript and without adding @fastify/multipart for one form. It is registered only in the places
 * plugin's scope; the whole body is already in memory (the route's body limit bounds it), so this is
 * just splitting a buffer on the boundary. Text fields become strings; file fields become
 * { filename, content } with the content decoded as UTF-8 (GeoJSON is UTF-8 by definition).
 */

export interface UploadedFile {
  filename: string;
  content: string;
}

export type MultipartBody = Record<string, string | UploadedFile>;

export class MultipartError extends Error {}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2]) : undefined;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const delimiter = Buffer.from(`--${boundary}`);
  const result: MultipartBody = {};
  let start = body.indexOf(delimiter);
  if (start < 0) throw new MultipartError('no boundary in body');
  for (;;) {
    const afterDelimiter = start + delimiter.length;
    // "--" after a delimiter closes the body.
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headerStart = afterDelimiter + 2; // skip CRLF
    const headerEnd = body.indexOf('\r\n\r\n', headerStart);
    if (headerEnd < 0) throw new MultipartError('part without headers');
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next < 0) throw new MultipartError('unterminated part');
    const headers = body.subarray(headerStart, headerEnd).toString('utf8');
    // The part's content ends with the CRLF that precedes the next delimiter.
    const content = body.subarray(headerEnd + 4, next - 2);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined && !(name in result)) {
      result[name] =
        filename !== undefined
          ? { filename: filename.split(/[\\/]/).pop() ?? '', content: content.toString('utf8') }
          : content.toString('utf8');
    }
    start = next;
  }
  return result;
}
