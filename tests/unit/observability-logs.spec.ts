// Log redaction and trace ids in log lines (pino with the platform's hooks), without any I/O.
import { createLogger, isSensitiveKey, scrub } from '@krt/platform/telemetry';
import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, logger: createLogger('unit', { level: 'debug', destination }) };
}

const CPF = '529.982.247-25';
const CPF_DIGITS = '52998224725';
const EMAIL = 'maria.silva+pix@example.com.br';
const PHONE = '+55 (11) 98765-4321';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const PASSWORD = 'Senha#Secreta2026';
const OPAQUE_TOKEN = 'Zm9vYmFyYmF6cXV4LW9wYXF1ZS10b2tlbg';

describe('scrub (free text)', () => {
  it('when a text holds a CPF (with or without punctuation), an e-mail, a phone or a JWT, then each is masked', () => {
    const out = scrub(`cpf ${CPF} / ${CPF_DIGITS}, mail ${EMAIL}, tel ${PHONE}, jwt ${JWT}, auth Bearer ${OPAQUE_TOKEN}`);
    for (const secret of [CPF, CPF_DIGITS, EMAIL, PHONE, JWT, OPAQUE_TOKEN]) expect(out).not.toContain(secret);
    expect(out).toContain('[cpf]');
    expect(out).toContain('[email]');
    expect(out).toContain('[phone]');
    expect(out).toContain('[token]');
    expect(out).toContain('Bearer [token]');
  });

  it('when a text has ids, amounts and dates, then it is left alone', () => {
    const text = 'transfer 7f3e2a10-0c6b-4a43-9d55-0b1c2d3e4f50 of 1500.00 at 2026-11-29T10:00:00Z, E12345678202611291000abcdefghijk';
    expect(scrub(text)).toBe(text);
  });
});

describe('isSensitiveKey', () => {
  it('when a key names a secret or personal data, also inside a longer name, then it is sensitive', () => {
    for (const k of ['password', 'newPassword', 'senha', 'token', 'accessToken', 'refresh_token', 'client_secret', 'authorization', 'Cookie', 'cpf', 'payerCpf', 'email', 'customerEmail', 'phone', 'telefone', 'celular', 'pin', 'newPin', 'transactionPin', 'transactionPinHash', 'transaction_pin_hash']) {
      expect(isSensitiveKey(k), k).toBe(true);
    }
  });
  it('when a key is an id, an amount or a status, then it is not', () => {
    for (const k of ['transferId', 'amount', 'status', 'correlationId', 'traceId', 'accountId', 'keyType', 'mapping', 'spinner', 'pinned']) expect(isSensitiveKey(k), k).toBe(false);
  });
});

describe('createLogger', () => {
  it('when objects, messages, errors and child bindings carry personal data and secrets, then no line contains them', () => {
    const { lines, logger } = capture();
    const child = logger.child({ correlationId: 'corr-1', email: EMAIL, note: `user ${CPF}` });
    child.info({ body: { cpf: CPF_DIGITS, password: PASSWORD, nested: { accessToken: JWT, phone: PHONE }, list: [EMAIL] } }, `signup of ${EMAIL}`);
    child.warn({ headers: { authorization: `Bearer ${OPAQUE_TOKEN}`, cookie: 'krt-session=abc' } }, 'upstream call');
    child.error({ err: new Error(`Keycloak refused ${CPF_DIGITS} with token ${JWT}`) }, 'provisioning failed');
    logger.info(`password reset for ${EMAIL} with ${PASSWORD.length} chars`);
    const all = lines.join('\n');
    expect(lines).toHaveLength(4);
    for (const secret of [CPF, CPF_DIGITS, EMAIL, PHONE, JWT, PASSWORD, OPAQUE_TOKEN, 'krt-session=abc']) expect(all).not.toContain(secret);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', service: 'unit', correlationId: 'corr-1', email: '[redacted]', msg: 'signup of [email]' });
  });

  describe('inside a span', () => {
    beforeAll(() => new NodeTracerProvider().register());
    afterAll(() => {
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('when a line is logged while a span is active, then it carries that span\'s traceId and spanId; outside, it has none', () => {
      const { lines, logger } = capture();
      const span = trace.getTracer('unit').startSpan('work');
      context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
      span.end();
      logger.info('outside');
      const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(inside).toMatchObject({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
      expect(outside!.traceId).toBeUndefined();
    });
  });
});
