// An alert end to end on the running stack: the Payment consumer stops while customers send PIX through the BFF;
// Prometheus (scrape and evaluation every 5 s) sees its target down, KrtProcessDown (for: 1m) fires, Alertmanager
// e-mails the on-call address through the SMTP catcher; the consumer comes back, PIX complete again, and the
// resolved notification arrives. Rules: infra/observability/rules/krt.rules.yml; routing: infra/observability/alertmanager.yml.
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROCESSES, instancesOf, stackEnv, startInstance, stopInstance } from '../../scripts/stack/apps.mjs';
import { PROMETHEUS_URL } from '../../scripts/stack/prometheus.mjs';
import { closeTestKit, depositTo, newBankCustomer, PASSWORD, TEST_PIN } from '../integration/bff/bff-test-kit';
import { StackBffClient } from '../integration/observability/stack-kit';

const CATCHER = `http://127.0.0.1:${process.env.SMTP_CATCHER_HTTP_PORT ?? 8025}`;
const ONCALL = 'oncall@krt-bank.test';
const paymentConsumer = APP_PROCESSES.find((a) => a.name === 'payments-payment-consumer')!;
/** The rule's `for` (1 m) + a scrape and an evaluation (5 s each) + Alertmanager's group_wait (5 s) + slack. */
const FIRING_WINDOW_MS = 60_000 + 5_000 + 5_000 + 5_000 + 15_000;
/** A scrape and an evaluation (5 s each) + Alertmanager's group_interval (10 s) + slack. */
const RESOLVED_WINDOW_MS = 5_000 + 5_000 + 10_000 + 20_000;

interface Mail {
  id: string;
  subject: string;
  receivedAt: string;
  html: string;
  envelope: { from: string; to: string[] };
}

/** The newest e-mail to on-call with exactly this subject received after `since`, whole. */
async function mailSince(subject: string, since: number): Promise<Mail | undefined> {
  const res = await fetch(`${CATCHER}/api/messages?to=${encodeURIComponent(ONCALL)}&subject=${encodeURIComponent(subject)}&limit=20`, { signal: AbortSignal.timeout(5000) });
  const { messages } = (await res.json()) as { messages: Mail[] };
  const found = messages.find((m) => m.subject === subject && Date.parse(m.receivedAt) > since);
  if (!found) return undefined;
  return (await (await fetch(`${CATCHER}/api/messages/${found.id}`, { signal: AbortSignal.timeout(5000) })).json()) as Mail;
}

async function firingAlerts(alertname: string, process: string) {
  const res = await fetch(`${PROMETHEUS_URL}/api/v1/alerts`, { signal: AbortSignal.timeout(5000) });
  const { data } = (await res.json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
  return data.alerts.filter((a) => a.labels.alertname === alertname && a.labels.process === process);
}

describe('Alert on a stopped Payment consumer, e-mailed and resolved', () => {
  let alice: StackBffClient;
  let key: string;

  beforeAll(async () => {
    const [payer, receiver] = await Promise.all([newBankCustomer(), newBankCustomer()]);
    await depositTo(payer.accountId, '50.00');
    alice = new StackBffClient();
    const bob = new StackBffClient();
    await alice.signIn(payer.cpf, PASSWORD);
    await bob.signIn(receiver.cpf, PASSWORD);
    const created = await bob.request<{ value: string }>('POST', '/api/v1/pix/keys', { type: 'EVP' });
    expect(created.status).toBe(201);
    key = created.body.value;
  });

  afterAll(async () => {
    // Whatever happened, the consumer runs again.
    const env = await stackEnv();
    for (const inst of instancesOf(paymentConsumer)) await startInstance(inst, env).catch(() => undefined);
    await closeTestKit();
  });

  const sendPix = async (amount: string) => {
    const sent = await alice.request<{ id: string; status: string }>('POST', '/api/v1/pix/transfers', { key, amount, description: 'Alerta', pin: TEST_PIN }, { 'idempotency-key': randomUUID() });
    expect(sent.status).toBe(202);
    return sent.body.id;
  };

  it('when the Payment consumer is stopped while PIX are sent, then KrtProcessDown is e-mailed within its window, and the resolution after it restarts', async () => {
    const instances = instancesOf(paymentConsumer);
    // A previous test's stop must be over: the alert is not firing for this process before the fault.
    await eventually(async () => (await firingAlerts('KrtProcessDown', instances[0]!.name)).length === 0, { timeoutMs: 20_000, what: 'no KrtProcessDown before the fault' });

    const stoppedAt = Date.now();
    for (const inst of instances) await stopInstance(inst.name);
    const pending = [await sendPix('1.00')];

    // PIX keep coming while nobody settles them; the alert fires after 1 minute and its e-mail arrives.
    const firingSubject = `[KRT FIRING] KrtProcessDown ${instances[0]!.name}`;
    let lastSend = Date.now();
    const firing = await eventually(
      async () => {
        if (Date.now() - lastSend > 20_000 && pending.length < 4) {
          pending.push(await sendPix('1.00'));
          lastSend = Date.now();
        }
        return mailSince(firingSubject, stoppedAt);
      },
      { timeoutMs: FIRING_WINDOW_MS, intervalMs: 1000, what: `the e-mail "${firingSubject}"` },
    );
    const firedAfter = Date.parse(firing.receivedAt) - stoppedAt;
    // Not before the rule's `for: 1m`, and within the window.
    expect(firedAfter).toBeGreaterThanOrEqual(60_000);
    expect(firedAfter).toBeLessThanOrEqual(FIRING_WINDOW_MS);
    expect(firing.envelope).toMatchObject({ from: 'alertmanager@krt-bank.test', to: [ONCALL] });
    expect(firing.html).toContain(`${instances[0]!.name} (127.0.0.1:${instances[0]!.port}) does not answer /metrics`);
    expect((await firingAlerts('KrtProcessDown', instances[0]!.name)).map((a) => a.state)).toEqual(['firing']);
    // The PIX sent meanwhile are still waiting for the Payment consumer.
    for (const id of pending) expect((await alice.request<{ status: string }>('GET', `/api/v1/pix/transfers/${id}`)).body.status).not.toBe('COMPLETED');

    const restartedAt = Date.now();
    const env = await stackEnv();
    for (const inst of instances) await startInstance(inst, env);
    // Recovery: a new PIX completes; those sent during the outage reached a final state (the ones older than the
    // pending deadline, PIX_PENDING_DEADLINE_MS = 60 s, were failed by the sweeper and their reserve released).
    const after = await sendPix('2.00');
    const statusOf = async (id: string) => (await alice.request<{ status: string }>('GET', `/api/v1/pix/transfers/${id}`)).body.status;
    await eventually(async () => (await statusOf(after)) === 'COMPLETED', { timeoutMs: 30_000, what: 'a PIX sent after the restart completed' });
    for (const id of pending) {
      await eventually(async () => ['COMPLETED', 'FAILED'].includes(await statusOf(id)), { timeoutMs: 30_000, what: `PIX ${id} in a final state` });
    }
    const resolvedSubject = `[KRT RESOLVED] KrtProcessDown ${instances[0]!.name}`;
    const resolved = await eventually(() => mailSince(resolvedSubject, restartedAt), { timeoutMs: RESOLVED_WINDOW_MS, intervalMs: 1000, what: `the e-mail "${resolvedSubject}"` });
    expect(Date.parse(resolved.receivedAt) - restartedAt).toBeLessThanOrEqual(RESOLVED_WINDOW_MS);
    expect(await firingAlerts('KrtProcessDown', instances[0]!.name)).toEqual([]);
  }, 240_000);
});
