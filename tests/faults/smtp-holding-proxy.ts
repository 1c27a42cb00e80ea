// A TCP proxy in front of the SMTP catcher that passes the whole SMTP dialogue through but holds back the end of the
// first message's data ("\r\n.\r\n"): the sender is then stuck mid-delivery and the catcher has accepted nothing.
// `release()` lets the held end (and whatever followed it) through; other connections and messages pass untouched.
import net from 'node:net';

export function holdingSmtpProxy(upstreamPort: number) {
  let onStall!: () => void;
  const stalled = new Promise<void>((r) => (onStall = r));
  let held: { upstream: net.Socket; rest: string } | undefined;
  let released = false;
  let claimed = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    let seen = '';
    let forwarded = 0;
    let holding = false;
    client.on('data', (chunk: Buffer) => {
      if (holding && !released) return void (held!.rest += chunk.toString('latin1'));
      if (holding || claimed || released) return void upstream.write(chunk);
      seen += chunk.toString('latin1');
      const end = seen.indexOf('\r\n.\r\n');
      const upTo = end >= 0 ? end : seen.length;
      if (upTo > forwarded) upstream.write(Buffer.from(seen.slice(forwarded, upTo), 'latin1'));
      forwarded = Math.max(forwarded, upTo);
      if (end >= 0) {
        holding = claimed = true;
        held = { upstream, rest: seen.slice(end) };
        onStall();
      }
    });
  });
  return {
    /** Resolves when the first message's end is being held. */
    stalled,
    release() {
      released = true;
      if (held) held.upstream.write(Buffer.from(held.rest, 'latin1'));
    },
    listen: () => new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port))),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
