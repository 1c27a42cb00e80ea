#!/usr/bin/env node
// Development SMTP catcher: accepts every e-mail on SMTP (1025) and never delivers it; stores each message as JSON
// under .stack/smtp/messages and shows them in a web inbox with a JSON API (8025):
//   GET /                       the inbox (newest first)         GET /messages/<id>        one message
//   GET /api/messages?to=&subject=&limit=   summaries, newest first   GET /api/messages/<id>   the whole message
//   GET /health                 "ok"
// Recipients at the domain in SMTP_CATCHER_REJECT_DOMAIN (default `recusado.test`) get a permanent 550, so a failing
// delivery can be reproduced on purpose.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const SMTP_PORT = Number(process.env.SMTP_CATCHER_SMTP_PORT ?? 1025);
const HTTP_PORT = Number(process.env.SMTP_CATCHER_HTTP_PORT ?? 8025);
const HOST = process.env.SMTP_CATCHER_HOST ?? '127.0.0.1';
const DIR = path.resolve(process.env.SMTP_CATCHER_DIR ?? path.join(process.cwd(), '.stack/smtp/messages'));
const MAX_MESSAGES = Number(process.env.SMTP_CATCHER_MAX_MESSAGES ?? 5000);
const REJECT_DOMAIN = (process.env.SMTP_CATCHER_REJECT_DOMAIN ?? 'recusado.test').toLowerCase();

fs.mkdirSync(DIR, { recursive: true });

/** In-memory index (newest last), loaded from disk at start; the JSON files are the store. */
const messages = [];
for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
  try {
    messages.push({ ...JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')), file });
  } catch {
    /* a half-written file from a crash: skip it */
  }
}

const log = (msg, extra = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), service: 'smtp-catcher', msg, ...extra })}\n`);
const addresses = (a) => (a ? (Array.isArray(a) ? a : [a]).flatMap((x) => x.value ?? []).map((v) => ({ address: v.address ?? '', name: v.name ?? '' })) : []);

function store(message) {
  const file = path.join(DIR, `${message.receivedAt.replace(/[:.]/g, '-')}_${message.id}.json`);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(message));
  fs.renameSync(tmp, file);
  message.file = path.basename(file);
  messages.push(message);
  // Pruning the oldest never fails the message just stored (a failure here would make the sender retry a stored mail).
  while (messages.length > MAX_MESSAGES) {
    const old = messages.shift();
    if (!old.file) continue;
    try {
      fs.rmSync(path.join(DIR, old.file), { force: true });
    } catch (err) {
      log('could not prune an old message', { file: old.file, error: String(err) });
    }
  }
}

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  banner: 'KRT Bank development SMTP catcher (nothing is delivered)',
  size: 10 * 1024 * 1024,
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address.toLowerCase().endsWith(`@${REJECT_DOMAIN}`)) {
      const err = new Error(`5.1.1 <${address.address}>: recipient rejected by the development catcher`);
      err.responseCode = 550;
      return callback(err);
    }
    return callback();
  },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        const message = {
          id: randomUUID(),
          messageId: parsed.messageId ?? null,
          envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
          from: addresses(parsed.from),
          to: addresses(parsed.to),
          subject: parsed.subject ?? '',
          date: parsed.date ? parsed.date.toISOString() : null,
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          headers: Object.fromEntries([...parsed.headers].filter(([k]) => k.startsWith('x-')).map(([k, v]) => [k, String(v)])),
          receivedAt: new Date().toISOString(),
        };
        store(message);
        log('message received', { id: message.id, recipients: message.envelope.to.length });
        callback(null, `Message accepted as ${message.id}`);
      })
      .catch((err) => callback(err));
  },
});
smtp.on('error', (err) => log('smtp error', { error: err.message }));

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const summary = ({ html: _html, text, file: _file, ...m }) => ({ ...m, snippet: text.slice(0, 200) });

function filtered(url) {
  const to = url.searchParams.get('to')?.toLowerCase();
  const subject = url.searchParams.get('subject')?.toLowerCase();
  const limit = Math.min(Number(url.searchParams.get('limit') ?? 500) || 500, MAX_MESSAGES);
  const out = [];
  for (let i = messages.length - 1; i >= 0 && out.length < limit; i--) {
    const m = messages[i];
    if (to && !m.envelope.to.some((a) => a.toLowerCase() === to) && !m.to.some((a) => a.address.toLowerCase() === to)) continue;
    if (subject && !m.subject.toLowerCase().includes(subject)) continue;
    out.push(m);
  }
  return out;
}

const page = (title, body) => `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,Arial,sans-serif;margin:2rem;color:#1a1a1a}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}th{background:#f4f1fb}
a{color:#4b2ca3}pre{white-space:pre-wrap;background:#f7f7f7;padding:1rem}iframe{width:100%;height:28rem;border:1px solid #ddd}
.muted{color:#666;font-size:.9em}</style></head><body>${body}</body></html>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const send = (status, type, body) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  };
  const json = (status, body) => send(status, 'application/json; charset=utf-8', JSON.stringify(body));
  if (req.method !== 'GET') return json(405, { error: 'method not allowed' });
  if (url.pathname === '/health') return send(200, 'text/plain', 'ok');
  if (url.pathname === '/api/messages') {
    const list = filtered(url);
    return json(200, { total: messages.length, count: list.length, messages: list.map(summary) });
  }
  const apiOne = /^\/api\/messages\/([0-9a-f-]{36})$/.exec(url.pathname);
  if (apiOne) {
    const m = messages.find((x) => x.id === apiOne[1]);
    return m ? json(200, m) : json(404, { error: 'not found' });
  }
  if (url.pathname === '/') {
    const list = filtered(url);
    const rows = list
      .map((m) => `<tr><td class="muted">${esc(new Date(m.receivedAt).toLocaleString('pt-BR'))}</td><td>${esc(m.envelope.to.join(', '))}</td><td><a href="/messages/${m.id}">${esc(m.subject || '(sem assunto)')}</a></td></tr>`)
      .join('');
    return send(200, 'text/html; charset=utf-8', page('Caixa de entrada (desenvolvimento)', `<h1>Caixa de entrada de desenvolvimento</h1>
<p class="muted">${messages.length} mensagem(ns). Nada aqui é entregue de verdade. SMTP em ${HOST}:${SMTP_PORT}. JSON: <a href="/api/messages">/api/messages</a></p>
<form><input name="to" placeholder="destinatário" value="${esc(url.searchParams.get('to') ?? '')}"> <input name="subject" placeholder="assunto" value="${esc(url.searchParams.get('subject') ?? '')}"> <button>Filtrar</button></form>
<table><thead><tr><th>Recebida</th><th>Para</th><th>Assunto</th></tr></thead><tbody>${rows || '<tr><td colspan="3">Nenhuma mensagem.</td></tr>'}</tbody></table>`));
  }
  const one = /^\/messages\/([0-9a-f-]{36})$/.exec(url.pathname);
  if (one) {
    const m = messages.find((x) => x.id === one[1]);
    if (!m) return send(404, 'text/html; charset=utf-8', page('Não encontrada', '<p>Mensagem não encontrada. <a href="/">Voltar</a></p>'));
    return send(200, 'text/html; charset=utf-8', page(m.subject, `<p><a href="/">&larr; Caixa de entrada</a></p><h1>${esc(m.subject)}</h1>
<p class="muted">De: ${esc(m.from.map((a) => `${a.name} <${a.address}>`).join(', '))}<br>Para: ${esc(m.envelope.to.join(', '))}<br>Recebida: ${esc(m.receivedAt)}<br>Message-ID: ${esc(m.messageId)}</p>
${m.html ? `<h2>HTML</h2><iframe sandbox srcdoc="${esc(m.html)}"></iframe>` : ''}<h2>Texto</h2><pre>${esc(m.text)}</pre>`));
  }
  return json(404, { error: 'not found' });
});

smtp.listen(SMTP_PORT, HOST, () => log('smtp listening', { port: SMTP_PORT }));
server.listen(HTTP_PORT, HOST, () => log('web inbox listening', { port: HTTP_PORT, url: `http://localhost:${HTTP_PORT}/` }));

const shutdown = () => {
  server.close();
  smtp.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
