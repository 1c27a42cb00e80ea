// Live events over SSE: a customer sees their own PIX go PENDING → COMPLETED as the real saga runs (payments,
// fraud and payment consumers, Kafka), and never another customer's events; in-app notifications arrive from the
// RabbitMQ exchange krt.live to their customer only.
import { amqp } from '@krt/platform/messaging';
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BffClient, checkForTokens, closeTestKit, headerLines, depositTo, newBankCustomer, startBff, TEST_PIN, type TestBff, type TestCustomer } from './bff-test-kit';

type BankCustomer = TestCustomer & { accountId: string };

interface SseEvent {
  event: string;
  data: any;
  id?: string;
}

/** Opens GET /api/v1/events for a signed-in client and collects its events. */
async function openStream(client: BffClient) {
  const controller = new AbortController();
  const res = await fetch(`${client.bff.url}/api/v1/events`, { headers: { cookie: client.cookieHeader(), 'x-csrf': '1' }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: SseEvent[] = [];
  const raw: string[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let sep: number;
        while ((sep = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, sep);
          buffer = buffer.slice(sep + 2);
          raw.push(block);
          const e: SseEvent = { event: 'message', data: undefined };
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) e.event = line.slice(6).trim();
            else if (line.startsWith('data:')) e.data = JSON.parse(line.slice(5).trim());
            else if (line.startsWith('id:')) e.id = line.slice(3).trim();
          }
          if (e.data !== undefined) events.push(e);
        }
      }
    } catch {
      /* aborted */
    }
  })();
  await eventually(async () => events.some((e) => e.event === 'ready'), { timeoutMs: 5000, what: 'ready event' });
  const check = () => checkForTokens('GET /api/v1/events', `${headerLines(res.headers)}\n\n${raw.join('\n\n')}`);
  return {
    events,
    raw,
    /** Resolves when the server ends the stream. */
    ended: pump.then(check),
    close: async () => {
      controller.abort();
      await pump;
      check();
    },
  };
}

let bff: TestBff;
let payer: BankCustomer;
let receiver: BankCustomer;
let bystander: BankCustomer;

beforeAll(async () => {
  bff = await startBff({ LIVE_EVENTS: 'true', SSE_HEARTBEAT_MS: '1000' });
  [payer, receiver, bystander] = await Promise.all([newBankCustomer(), newBankCustomer(), newBankCustomer()]);
  await depositTo(payer.accountId, '300.00');
  await bff.rt.liveReady;
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
});

describe('live events (server-sent events)', () => {
  it("when a customer sends a PIX, then their stream shows PENDING then COMPLETED, the receiver's shows the money arriving, and a bystander sees nothing of it", async () => {
    const payerClient = new BffClient(bff);
    const receiverClient = new BffClient(bff);
    const bystanderClient = new BffClient(bff);
    await payerClient.signIn(payer.cpf);
    await receiverClient.signIn(receiver.cpf);
    await bystanderClient.signIn(bystander.cpf);
    const [payerStream, receiverStream, bystanderStream] = await Promise.all([openStream(payerClient), openStream(receiverClient), openStream(bystanderClient)]);
    try {
      const key = await receiverClient.post('/api/v1/pix/keys', { type: 'EVP' });
      expect(key.status).toBe(201);
      const sent = await payerClient.post('/api/v1/pix/transfers', { key: key.body.value, amount: '25.00', description: 'SSE', pin: TEST_PIN }, { headers: { 'idempotency-key': randomUUID() } });
      expect(sent.status).toBe(202);
      const transferId = sent.body.id as string;

      const statuses = () => payerStream.events.filter((e) => e.event === 'pix.status' && e.data.transferId === transferId).map((e) => e.data.status);
      await eventually(async () => statuses().includes('COMPLETED'), { timeoutMs: 45_000, what: 'COMPLETED on the payer stream' });
      expect(statuses()).toEqual(['PENDING', 'COMPLETED']);
      expect(payerStream.events.find((e) => e.data.transferId === transferId)!.data).toMatchObject({ direction: 'OUT', amount: '25.00' });

      // The receiver's stream: the money arriving (pix.status); its in-app notification, which names the same transfer
      // so the notification center can open it, may come too.
      const incoming = () => receiverStream.events.filter((e) => e.event === 'pix.status' && e.data?.transferId === transferId);
      await eventually(async () => incoming().length > 0, { timeoutMs: 10_000, what: 'receiver event' });
      expect(incoming().map((e) => [e.data.status, e.data.direction])).toEqual([['COMPLETED', 'IN']]);
      const others = receiverStream.events.filter((e) => e.event !== 'pix.status' && e.event !== 'ready');
      for (const e of others) expect(e.event).toBe('notification');

      // The bystander's stream is alive (heartbeats) but carries nothing about this transfer.
      await eventually(async () => bystanderStream.raw.some((b) => b.startsWith(': heartbeat')), { timeoutMs: 5000, what: 'bystander heartbeat' });
      expect(bystanderStream.events.filter((e) => e.event !== 'ready')).toEqual([]);
      expect(bystanderStream.raw.join('\n')).not.toContain(transferId);
    } finally {
      await Promise.all([payerStream.close(), receiverStream.close(), bystanderStream.close()]);
    }
  });

  it('when an in-app notification is published to krt.live, then only its customer receives it', async () => {
    const a = new BffClient(bff);
    const b = new BffClient(bff);
    await a.signIn(payer.cpf);
    await b.signIn(bystander.cpf);
    const [sa, sb] = await Promise.all([openStream(a), openStream(b)]);
    const conn = await amqp.connect('amqp://krt:krt@127.0.0.1:5672');
    try {
      const ch = await conn.createChannel();
      await ch.assertExchange('krt.live', 'topic', { durable: true });
      const notification = { id: randomUUID(), title: 'PIX recebido', body: 'Você recebeu R$ 10,00', kind: 'PIX_RECEIVED', createdAt: new Date().toISOString() };
      ch.publish('krt.live', `customer.${payer.customerId}`, Buffer.from(JSON.stringify({ customerId: payer.customerId, notification })));
      await eventually(async () => sa.events.some((e) => e.event === 'notification' && e.data.id === notification.id), { timeoutMs: 10_000, what: 'notification' });
      await new Promise((r) => setTimeout(r, 500));
      expect(sb.events.filter((e) => e.event === 'notification')).toEqual([]);
    } finally {
      await conn.close();
      await Promise.all([sa.close(), sb.close()]);
    }
  });

  it('when the session logs out, then its open stream is closed by the BFF; without a session the stream is refused', async () => {
    const client = new BffClient(bff);
    await client.signIn(bystander.cpf);
    const stream = await openStream(client);
    const cookie = client.cookieHeader();
    // A browser EventSource cannot add X-CSRF; the browser's own Sec-Fetch-Site: same-origin stands in for it.
    const viaEventSource = new AbortController();
    const sameOrigin = await fetch(`${bff.url}/api/v1/events`, { headers: { cookie, 'sec-fetch-site': 'same-origin' }, signal: viaEventSource.signal });
    expect(sameOrigin.status).toBe(200);
    viaEventSource.abort();
    const crossSite = await fetch(`${bff.url}/api/v1/events`, { headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    await client.post('/auth/logout');
    // The server ends the response within a heartbeat (1 s here) of the logout.
    const ended = await Promise.race([stream.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 4000))]);
    await stream.close();
    expect(ended).toBe(true);
    const anon = await fetch(`${bff.url}/api/v1/events`, { headers: { 'x-csrf': '1' } });
    expect(anon.status).toBe(401);
    const noHeader = await fetch(`${bff.url}/api/v1/events`, { headers: { cookie } });
    expect(noHeader.status).toBe(403);
  });
});
