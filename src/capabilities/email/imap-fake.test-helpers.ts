import net from 'node:net';

/**
 * A tiny IMAP server for tests: just enough of RFC 3501 (login, SELECT, UID SEARCH UNSEEN, UID FETCH
 * of size and body, UID STORE +FLAGS \Seen) for imapflow to poll a mailbox, since no real IMAP server
 * runs here. It records the commands it received.
 */
export interface FakeImap {
  port: number;
  commands: string[];
  seen(): number[];
  close(): Promise<void>;
}

export async function startFakeImap(messages: Map<number, Buffer>): Promise<FakeImap> {
  const seen = new Set<number>();
  const commands: string[] = [];
  const uids = [...messages.keys()].sort((a, b) => a - b);
  const seq = (uid: number) => uids.indexOf(uid) + 1;

  const server = net.createServer((socket) => {
    socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake IMAP ready\r\n');
    let buffer = '';
    socket.on('data', (data) => {
      buffer += data.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        commands.push(line);
        const [, tag, , name = '', args = ''] = /^(\S+) (UID )?(\S+) ?(.*)$/i.exec(line) ?? [];
        const ok = (text = 'done') => socket.write(`${tag} OK ${text}\r\n`);
        switch (name.toUpperCase()) {
          case 'CAPABILITY':
            socket.write('* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n');
            ok();
            break;
          case 'SELECT':
            socket.write(`* ${uids.length} EXISTS\r\n* FLAGS (\\Seen)\r\n* OK [UIDVALIDITY 1] ok\r\n`);
            ok('[READ-WRITE] selected');
            break;
          case 'SEARCH':
            socket.write(`* SEARCH ${uids.filter((u) => !seen.has(u)).join(' ')}\r\n`);
            ok();
            break;
          case 'FETCH': {
            const uid = Number(args.split(' ')[0]);
            const raw = messages.get(uid);
            if (raw && args.includes('RFC822.SIZE')) {
              socket.write(`* ${seq(uid)} FETCH (UID ${uid} RFC822.SIZE ${raw.length})\r\n`);
            } else if (raw && args.includes('BODY.PEEK[]')) {
              socket.write(`* ${seq(uid)} FETCH (UID ${uid} BODY[] {${raw.length}}\r\n`);
              socket.write(raw);
              socket.write(')\r\n');
            }
            ok();
            break;
          }
          case 'STORE': {
            const uid = Number(args.split(' ')[0]);
            if (messages.has(uid) && /\+FLAGS \(\\Seen\)/i.test(args)) {
              seen.add(uid);
              socket.write(`* ${seq(uid)} FETCH (UID ${uid} FLAGS (\\Seen))\r\n`);
            }
            ok();
            break;
          }
          case 'LOGOUT':
            socket.write('* BYE logging out\r\n');
            ok();
            socket.end();
            break;
          default:
            // AUTHENTICATE, LOGIN, LIST, LSUB, NOOP…: nothing to report.
            ok();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    commands,
    seen: () => [...seen].sort((a, b) => a - b),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
