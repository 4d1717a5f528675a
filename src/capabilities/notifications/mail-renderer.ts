import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

/**
 * What one email says, independent of format: rendered once as plain text and once as accessible
 * HTML from the same content, so the two never drift apart.
 */
export interface MessageContent {
  lang: string;
  dir: 'ltr' | 'rtl';
  subject: string;
  heading: string;
  paragraphs: string[];
  /** Text someone wrote (a public update, a staff reply), shown as written. */
  quote?: string | undefined;
  items?: { text: string; href: string; detail: string }[];
  link?: { text: string; href: string } | undefined;
  /** Smaller print after the link. */
  after?: string[];
}

const VIEWS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'views');

/** Paragraphs (split at blank lines) of lines, so the template can escape each line and add <br>. */
function paragraphsOf(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.split('\n'))
    .filter((lines) => lines.some((l) => l.trim() !== ''));
}

export function createMailRenderer() {
  // Its own environment, so mail never picks up page globals; autoescape keeps user text inert.
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(VIEWS), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });

  function text(c: MessageContent): string {
    const blocks: string[] = [c.heading, ...c.paragraphs];
    if (c.quote) blocks.push(c.quote.replace(/\r\n?/g, '\n').trim());
    if (c.items?.length) blocks.push(c.items.map((i) => `- ${i.text}: ${i.detail}\n  ${i.href}`).join('\n'));
    if (c.link) blocks.push(`${c.link.text}:\n${c.link.href}`);
    blocks.push(...(c.after ?? []));
    return `${blocks.join('\n\n')}\n`;
  }

  function html(c: MessageContent): string {
    return env.render('message.html.njk', {
      ...c,
      quote: c.quote ? paragraphsOf(c.quote) : undefined,
      after: c.after ?? [],
    });
  }

  return {
    render(c: MessageContent): { subject: string; text: string; html: string } {
      return { subject: c.subject, text: text(c), html: html(c) };
    },
  };
}

export type MailRenderer = ReturnType<typeof createMailRenderer>;
