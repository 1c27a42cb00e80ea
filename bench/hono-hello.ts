// The HTTP reference of `npm run bench`: a bare Hono hello-world (one route answering a small JSON) in a Node process of
// its own, on a free loopback port. Prints the port on its first line of output; stops on SIGTERM or when stdin closes.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.json({ ok: true, message: 'olá' }));

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 0) }, (info) => {
  process.stdout.write(`${info.port}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The bench holds our stdin open; if it dies without stopping us, stdin ends and so do we.
process.stdin.on('end', stop);
process.stdin.resume();
