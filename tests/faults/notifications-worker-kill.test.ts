// The notification worker is killed (SIGKILL) in the middle of an SMTP delivery: the message is redelivered by
// RabbitMQ and the customer still receives the e-mail exactly once.
import { TOPICS } from '@krt/contracts';
import { assertTopology, publishNotificationsFor, type NotifiableEvent } from '@krt/notifications';
import { createLogger } from '@krt/platform/telemetry';
import { eventually } from '@krt/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdingSmtpProxy } from './smtp-holding-proxy';
import { accountCreated, closeDb, deliveriesOf, inApp, isolatedPipeline, mailsTo, smsTo, testCustomer, type IsolatedPipeline } from '../integration/notifications/notifications-test-kit';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('worker killed mid-delivery', () => {
  let p: IsolatedPipeline;
  let child: ChildProcess | undefined;
  // Holds the end of the first e-mail: the worker is stuck mid-delivery with the delivery row locked by its transaction.
  const proxy = holdingSmtpProxy(1025);

  beforeAll(async () => {
    p = await isolatedPipeline([200, 400, 800]);
    const ch = await (await p.amqp.current()).createChannel();
    await assertTopology(ch, p.topology, 'krt.live');
    await ch.close();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await proxy.close();
    await p?.close();
    await closeDb();
  });

  it('when the worker dies while sending an e-mail, then the message is redelivered and the customer receives it exactly once', async () => {
    const proxyPort = await proxy.listen();
    const customer = testCustomer('Kátia Interrompida Melo');
    const env = accountCreated(customer);
    // What the Notification consumer does with account.created: store the contact, publish e-mail, SMS and in-app.
    expect(await publishNotificationsFor(p, p.pool, env, { type: TOPICS.accountCreated, payload: env.payload } as NotifiableEvent)).toBe(3);

    // A real worker process, sending e-mail through the stalling proxy.
    child = spawn(process.execPath, ['--import', 'tsx', 'apps/notifications/src/worker.main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...p.env, SMTP_PORT: String(proxyPort), NOTIFICATION_WORKER_PORT: '0', NOTIFICATIONS_PREFETCH: '1', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child!.once('exit', r));
    await Promise.race([proxy.stalled, exited.then(() => Promise.reject(new Error('worker exited early')))]);

    // Mid-delivery: the whole message went over SMTP except its terminator; nothing is delivered or recorded yet.
    expect(await mailsTo(customer.email)).toHaveLength(0);
    expect((await deliveriesOf(customer.customerId)).filter((d) => d.channel === 'email')).toHaveLength(0);

    child.kill('SIGKILL');
    await exited;

    // Another worker takes over; it sees the message again, flagged as redelivered.
    const lines: string[] = [];
    const logger = createLogger('notifications-test', { level: 'info', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
    await p.startWorker({ logger });
    await eventually(async () => (await mailsTo(customer.email)).length > 0, { timeoutMs: 30_000, what: 'e-mail after the takeover' });
    await new Promise((r) => setTimeout(r, 2000));

    const mails = await mailsTo(customer.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Bem-vindo(a) ao KRT Bank');
    const email = (await deliveriesOf(customer.customerId)).find((d) => d.channel === 'email')!;
    expect(email).toMatchObject({ status: 'delivered', attempts: 1 });
    const delivered = lines.map((l) => JSON.parse(l)).find((l) => l.channel === 'email' && l.eventId === env.eventId && l.msg === 'notification delivered');
    expect(delivered).toMatchObject({ redelivered: true, outcome: 'delivered' });
    expect(await smsTo(customer.phone)).toHaveLength(1);
    expect(await inApp(customer.customerId)).toHaveLength(1);
  });
});
