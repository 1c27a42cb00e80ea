// Alertmanager's webhook receiver in docker-compose.yml (service alert-webhook, image node:20-alpine, no dependencies):
// every POST body that Alertmanager sends (a notification: status, alerts, groupLabels…) is written to stdout as ONE
// JSON line, so `docker compose logs alert-webhook` is the list of notifications, readable with jq.
//
//   WEBHOOK_RECEIVER_HOST (127.0.0.1; 0.0.0.0 in compose)   WEBHOOK_RECEIVER_PORT (9097)
//   POST <any path>  body JSON → 200 and one line {"receivedAt","path","body"}; not JSON → 400 (and a line with "error")
//   GET /health      → 200 (the compose healthcheck)
import http from 'node:http';

const HOST = process.env.WEBHOOK_RECEIVER_HOST ?? '127.0.0.1';
const PORT = Number(process.env.WEBHOOK_RECEIVER_PORT ?? 9097);
/** Alertmanager's notifications are a few KiB; anything this large is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

const line = (record) => process.stdout.write(`${JSON.stringify({ receivedAt: new Date().toISOString(), ...record })}\n`);

const server = http.createServer((req, res) => {
  const send = (status, text) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  if (req.method === 'GET' && req.url === '/health') return send(200, 'ok\n');
  if (req.method !== 'POST') return send(405, 'POST only\n');
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      line({ path: req.url, error: `body larger than ${MAX_BODY_BYTES} bytes` });
      send(413, 'too large\n');
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    const text = Buffer.concat(chunks).toString('utf8');
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      line({ path: req.url, error: 'body is not JSON', raw: text.slice(0, 1000) });
      return send(400, 'JSON expected\n');
    }
    line({ path: req.url, body });
    send(200, 'ok\n');
  });
});

server.listen(PORT, HOST, () => {
  // Status on stderr: stdout carries only the notifications' JSON lines.
  process.stderr.write(`webhook-receiver: listening on http://${HOST}:${PORT}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    // Alertmanager keeps its connections alive: without this, close() would wait for them.
    server.closeAllConnections();
  });
}
