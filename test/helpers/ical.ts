import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's python3 (not a pyenv one) is where apt's python3-vobject lives; .ci/run installs it. */
const PYTHON = '/usr/bin/python3';

const SCRIPT = `
import sys, vobject
data = sys.stdin.buffer.read()
text = data.decode('utf-8')
# RFC 5545 3.1: every line ends CRLF and no physical line exceeds 75 octets.
assert text.endswith('\\r\\n'), 'feed must end with CRLF'
for n, line in enumerate(data.split(b'\\r\\n')[:-1], 1):
    assert b'\\n' not in line and b'\\r' not in line, 'bare newline in line %d' % n
    assert len(line) <= 75, 'line %d is %d octets' % (n, len(line))
cals = list(vobject.readComponents(text, validate=True))
assert len(cals) == 1, 'expected one VCALENDAR'
cal = cals[0]
cal.validate()
events = cal.contents.get('vevent', [])
for e in events:
    assert e.uid.value and e.dtstamp.value, 'UID and DTSTAMP required'
    assert e.dtstart.value.tzinfo is not None, 'DTSTART must carry a time zone'
print(len(events))
for e in events:
    print(e.summary.value)
`;

export function icalValidatorAvailable(): boolean {
  return existsSync(PYTHON);
}

/**
 * Parses a feed strictly with vobject (validate=True) plus the line rules vobject is lenient about.
 * Resolves with the event summaries; rejects with the parser's message when the feed is invalid.
 */
export async function validateICalendar(feed: string): Promise<{ summaries: string[] }> {
  const child = run(PYTHON, ['-c', SCRIPT], { encoding: 'utf8' });
  child.child.stdin?.end(feed);
  const { stdout } = await child;
  const [count, ...summaries] = stdout.split('\n').filter((l, i, all) => i < all.length - 1 || l);
  if (Number(count) !== summaries.length) throw new Error(`unexpected validator output: ${stdout}`);
  return { summaries };
}
