// The back office's dead letters (issue #19), served by the notifications API (here in-process, with its RabbitMQ
// side in an isolated namespace): the Kafka `.dlt` records made by the running stack's Notification consumer, and the
// notifications' DLQ. Listing consumes nothing; a replay after fixing the cause applies the effect once, a second
// replay is a no-op; every view and replay is audited in an append-only log.
import { auditEntrySchema, TOPICS } from '@krt/contracts';
import { publishNotificationsFor, upsertCustomer, type NotifiableEvent } from '@krt/notifications';
import { createRealmUser, eventually, passwordGrant } from '@krt/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotificationsApi } from '../../../apps/notifications/src/api.main';
import { closeDeadLetters, effectApplied, effectCount, fixPoisonCause, makePoisonMessage } from '../../../e2e/support/dead-letters';
import { isolatedPipeline, mailsTo, pixCompleted, testCustomer, type IsolatedPipeline } from './notifications-test-kit';

interface DeadLetterItem {
  id: string;
  source: 'kafka' | 'rabbitmq';
  topic?: string;
  queue?: string;
  partition?: number;
  offset?: string;
  key: string | null;
  originalTopic: string;
  channel?: string;
  group?: string | null;
  error: string;
  failedAt: string | null;
  payload: any;
  replayedAt?: string;
}

describe('back office: dead letters', () => {
  let p: IsolatedPipeline;
  let api: Awaited<ReturnType<typeof startNotificationsApi>>;
  let url: string;
  let admin: string;
  let operatorId: string;

  beforeAll(async () => {
    p = await isolatedPipeline([150, 300, 450]);
    await p.startWorker();
    api = await startNotificationsApi({ ...p.env, LOG_LEVEL: 'warn' }, { port: 0 });
    url = `http://127.0.0.1:${api.port}`;
    admin = (await passwordGrant('operador', 'Operador@2026')).access_token;
    operatorId = decodeJwt(admin).sub!;
  });
  afterAll(async () => {
    await api?.close();
    await p?.close();
    await closeDeadLetters();
  });

  const call = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const res = await fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.token ?? admin}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const list = async (source: 'kafka' | 'rabbitmq'): Promise<DeadLetterItem[]> => {
    const r = await call(`/v1/admin/dead-letters?source=${source}`);
    expect(r.status).toBe(200);
    return r.body.items as DeadLetterItem[];
  };
  const replay = (id: string, reason: string) => call(`/v1/admin/dead-letters/${id}/replay`, { method: 'POST', body: { reason } });

  it('when an account.created collides with a known customer’s e-mail, then it is listed from account.created.dlt; replayed before the fix it is dead-lettered again; replayed after the fix (twice at once, then again), the customer gets the welcome once', async () => {
    const poison = await makePoisonMessage();
    expect(poison.topic).toBe('account.created.dlt');

    const dead = (await list('kafka')).find((i) => i.key === poison.marker);
    expect(dead).toMatchObject({
      source: 'kafka',
      topic: 'account.created.dlt',
      originalTopic: 'account.created',
      partition: expect.any(Number),
      offset: expect.stringMatching(/^\d+$/),
      group: 'notifications.notification-consumer',
      error: expect.stringMatching(/^contact conflict: the e-mail is customer [0-9a-f-]{36}'s$/),
      failedAt: expect.any(String),
      payload: { type: 'account.created', payload: { customerId: poison.marker } },
    });
    expect(dead!.replayedAt).toBeUndefined();
    expect(await effectApplied(poison.marker)).toBe(false);

    // Replayed while the cause is still there: the consumer refuses it again, a new dead letter.
    const early = await replay(dead!.id, 'Tentativa antes da correção');
    expect(early).toMatchObject({ status: 200, body: { replayed: true, id: dead!.id, source: 'kafka', originalTopic: 'account.created', key: poison.marker, replayedAt: expect.any(String) } });
    const again = await eventually(async () => (await list('kafka')).find((i) => i.key === poison.marker && i.id !== dead!.id), { timeoutMs: 30_000, what: 'the poison dead-lettered again' });
    expect(again.error).toBe(dead!.error);
    expect(await effectApplied(poison.marker)).toBe(false);

    await fixPoisonCause(poison.marker);
    // Two operators replay it at the same moment: one replays, the other is told it already was.
    const both = await Promise.all([replay(again.id, 'E-mail do outro cliente corrigido'), replay(again.id, 'E-mail do outro cliente corrigido')]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => r.body.replayed).sort()).toEqual([false, true]);
    const first = both.find((r) => r.body.replayed)!;
    await eventually(() => effectApplied(poison.marker), { timeoutMs: 45_000, what: 'the welcome notification after the replay' });

    const third = await replay(again.id, 'Reenvio repetido');
    expect(third).toMatchObject({ status: 200, body: { replayed: false, id: again.id, alreadyReplayedAt: first.body.replayedAt } });
    const listed = (await list('kafka')).find((i) => i.id === again.id);
    expect(listed?.replayedAt).toBe(first.body.replayedAt);
    // Nothing more arrives later: one welcome notification.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await effectCount(poison.marker)).toBe(1);

    const replays = auditEntrySchema.array().parse((await call(`/v1/admin/audit?actor=${operatorId}&subjectId=${again.id}`)).body.items);
    expect(replays.map((a) => a.action)).toEqual(['dead_letter.replay_skipped', 'dead_letter.replay_skipped', 'dead_letter.replayed']);
    expect(replays[2]).toMatchObject({
      service: 'notifications',
      actorName: 'operador',
      subjectType: 'dead_letter',
      reason: 'E-mail do outro cliente corrigido',
      details: { source: 'kafka', originalTopic: 'account.created', deadLetterTopic: 'account.created.dlt', key: poison.marker },
    });
    const views = auditEntrySchema.array().parse((await call(`/v1/admin/audit?actor=${operatorId}&action=dead_letters.listed&subjectId=kafka&limit=1`)).body.items);
    expect(views[0]).toMatchObject({ subjectType: 'dead_letter_source', details: { count: expect.any(Number) } });
  }, 120_000);

  it('when a notification lands in the RabbitMQ DLQ, then it is listed without being consumed; replayed after the contact data arrives, the e-mail goes out once', async () => {
    const payer = testCustomer('Paula Sem Cadastro');
    const receiver = testCustomer('Rui Com Cadastro');
    await upsertCustomer(p.pool, receiver);
    const env = pixCompleted(payer, receiver, '4200');
    await publishNotificationsFor(p, p.pool, env, { type: TOPICS.pixCompleted, payload: env.payload } as NotifiableEvent);
    const emailKey = `${env.eventId}:email:${payer.customerId}`;

    const dead = await eventually(async () => (await list('rabbitmq')).find((i) => i.key === emailKey), { timeoutMs: 20_000, what: 'the e-mail in the DLQ' });
    expect(dead).toMatchObject({
      source: 'rabbitmq',
      queue: p.topology.dlq,
      originalTopic: p.topology.exchange,
      channel: 'email',
      error: expect.stringContaining('dados de contato do cliente ainda desconhecidos'),
      payload: { eventId: env.eventId, channel: 'email', customerId: payer.customerId, kind: 'PIX_SENT' },
    });
    // listing again: still there (a peek)
    expect((await list('rabbitmq')).filter((i) => i.key === emailKey)).toHaveLength(1);

    await upsertCustomer(p.pool, payer);
    const first = await replay(dead!.id, 'Dados de contato recebidos');
    expect(first).toMatchObject({ status: 200, body: { replayed: true, source: 'rabbitmq', key: emailKey } });
    await eventually(async () => (await mailsTo(payer.email)).length === 1, { what: 'the replayed e-mail' });
    expect((await list('rabbitmq')).some((i) => i.key === emailKey)).toBe(false);

    const second = await replay(dead!.id, 'De novo');
    expect(second).toMatchObject({ status: 200, body: { replayed: false, alreadyReplayedAt: first.body.replayedAt } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await mailsTo(payer.email)).toHaveLength(1);

    const unknown = await replay('rabbitmq-bm9wZQ', 'Nada aqui');
    expect(unknown).toMatchObject({ status: 404, body: { code: 'DEAD_LETTER_NOT_FOUND' } });
    const noReason = await call(`/v1/admin/dead-letters/${dead!.id}/replay`, { method: 'POST', body: {} });
    expect(noReason.status).toBe(422);
  });

  it('when a customer calls the dead-letter or audit endpoints, then 403 FORBIDDEN', async () => {
    const someone = testCustomer();
    await createRealmUser({ username: someone.cpf, password: 'Cliente#2026Ab', email: someone.email, customerId: someone.customerId, roles: ['customer'] });
    const customer = (await passwordGrant(someone.cpf, 'Cliente#2026Ab')).access_token;
    expect(await call('/v1/admin/dead-letters', { token: customer })).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await call('/v1/admin/dead-letters/kafka-eA/replay', { method: 'POST', body: { reason: 'tentativa' }, token: customer })).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await call('/v1/admin/audit', { token: customer })).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('when the application’s database user tries to change or erase the audit log, then PostgreSQL refuses', async () => {
    await expect(p.pool.query("UPDATE audit_log SET reason = 'x' WHERE id = (SELECT max(id) FROM audit_log)")).rejects.toThrow(/append-only|permission denied/);
    await expect(p.pool.query('DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)')).rejects.toThrow(/append-only|permission denied/);
    await expect(p.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only|permission denied/);
  });
});
