// A customer changes their e-mail and phone in the profile (onboarding's API): the change travels as
// customer.contact-changed (onboarding's outbox → the stack's onboarding-relay → Kafka → the stack's notification
// consumer), the OLD address and number are told of the change (a security alert, in case someone else made it), and
// the next notification reaches the NEW address and number. A replayed older account.created (as from its dead-letter
// topic) does not bring the old ones back.
import { TOPICS, type Envelope } from '@krt/contracts';
import { databaseUrl } from '@krt/platform/config';
import { createPool, type Pool } from '@krt/platform/persistence';
import { codeFlowToken, eventually, passwordGrant } from '@krt/testing';
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, newApplicant, register, startOnboarding, type Applicant, type Harness } from '../onboarding/onboarding-harness';
import { accountCreated, closeDb, closeProducer, envelope, inApp, mail, mailsTo, notificationsDb, pixCompleted, publish, smsTo, testCustomer, type TestCustomer } from './notifications-test-kit';

const CONSUMER = 'notifications.notification-consumer';

async function contactHere(customerId: string) {
  const { rows } = await notificationsDb().query<{ email: string; phone: string; contact_version: Date | null }>(
    'SELECT email, phone, contact_version FROM customers WHERE customer_id = $1',
    [customerId],
  );
  return rows[0];
}

async function appliedHere(eventId: string) {
  const { rowCount } = await notificationsDb().query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [CONSUMER, eventId]);
  return (rowCount ?? 0) > 0;
}

describe('a changed e-mail and phone reach the notifications service (real onboarding, relay, Kafka, consumer, SMTP catcher)', () => {
  let h: Harness;
  let onboardingDb: Pool;
  let a: Applicant;
  let token: string;
  let customerId: string;
  let payer: TestCustomer;
  const newEmail = `contato-${randomUUID().slice(0, 8)}@example.com`;
  const newPhone = `+55219${String(randomInt(10_000_000, 99_999_999))}`;

  beforeAll(async () => {
    h = await startOnboarding();
    onboardingDb = createPool(databaseUrl('onboarding'), { max: 2, applicationName: 'contact-changed-test' });
    a = newApplicant({ fullName: 'Joana Contato Ribeiro' });
    expect((await register(h.url, a)).body.status).toBe('ACTIVE');
    token = (await passwordGrant(a.cpf, a.password)).access_token;
    customerId = (await getJson(`${h.url}/v1/customers/me`, token)).body.customerId;
    payer = testCustomer('Paulo Pagador Teixeira');
    await publish(TOPICS.accountCreated, accountCreated(payer));
    // The account.created of the registration reached the notifications service: the old contact is known there.
    await eventually(async () => (await contactHere(customerId))?.email === a.email, { timeoutMs: 45_000, what: 'the account.created contact' });
  });
  afterAll(async () => {
    await closeProducer();
    await closeDb();
    await onboardingDb?.end();
    await h?.stop();
  });

  it('when the customer changes e-mail and phone, then a Pix they receive is e-mailed and texted to the new ones only; an older account.created replayed does not bring the old ones back', async () => {
    // A new e-mail or phone needs the password typed just now (the BFF's step-up): a token from Keycloak's login page.
    const typed = await codeFlowToken(a.cpf, a.password);
    const changed = await getJson(`${h.url}/v1/customers/me`, typed, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: newEmail, phone: newPhone }),
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ email: newEmail, phone: newPhone });

    // The change enqueued one customer.contact-changed, keyed by the customer, in the same transaction.
    const { rows: events } = await onboardingDb.query<{ message_key: string; envelope: Envelope<{ email: string; phone: string; changedAt: string }> }>(
      "SELECT message_key, envelope FROM outbox WHERE topic = 'customer.contact-changed' AND envelope->>'aggregateId' = $1",
      [customerId],
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.message_key).toBe(customerId);
    expect(events[0]!.envelope.payload).toMatchObject({ email: newEmail, phone: newPhone });
    // Its version is the row's updated_at, after the account.created's.
    expect(Date.parse(events[0]!.envelope.payload.changedAt)).toBe(Date.parse(changed.body.updatedAt));

    const here = await eventually(async () => {
      const c = await contactHere(customerId);
      return c?.email === newEmail ? c : undefined;
    }, { timeoutMs: 45_000, what: 'the new contact in the notifications service' });
    expect(here.phone).toBe(newPhone);

    // The security alert: e-mailed to the old address and texted to the old number, and in the notification centre;
    // the new address and number do not get it (whoever changed them would be warned by it).
    const alertMail = await eventually(async () => (await mailsTo(a.email)).find((m) => m.subject === 'Dados de contato alterados'), {
      timeoutMs: 45_000,
      what: 'the alert e-mailed to the old address',
    });
    const alertText = (await mail(alertMail.id)).text;
    expect(alertText).toContain('O e-mail e o celular da sua conta foram alterados em');
    expect(alertText).toContain('Se não foi você, fale com a nossa central agora.');
    expect(alertText).not.toContain(newEmail);
    const alertSms = await eventually(async () => (await smsTo(a.phone)).find((m) => m.text.includes('O e-mail e o celular da sua conta foram alterados')), {
      timeoutMs: 45_000,
      what: 'the alert texted to the old number',
    });
    expect(alertSms.text).not.toContain(newPhone.slice(-8));
    const centre = await eventually(async () => (await inApp(customerId)).find((n) => n.kind === 'CONTACT_CHANGED'), { timeoutMs: 45_000, what: 'the alert in the notification centre' });
    expect(centre).toMatchObject({ title: 'Dados de contato alterados', event_id: events[0]!.envelope.eventId });

    const receiver = { customerId, accountId: randomUUID(), fullName: a.fullName, email: newEmail, phone: newPhone, cpf: a.cpf };
    await publish(TOPICS.pixCompleted, pixCompleted(payer, receiver, '4321'));
    await eventually(async () => (await mailsTo(newEmail)).find((m) => m.subject === 'Pix recebido'), { timeoutMs: 45_000, what: 'the e-mail to the new address' });
    await eventually(async () => (await smsTo(newPhone)).some((s) => s.text.includes('Você recebeu um Pix')), { timeoutMs: 45_000, what: 'the SMS to the new number' });

    // The registration's account.created, published again as if it had never been applied (a fresh event id, as a
    // dead-lettered one replayed from the back office): older than the change, so the contact stays the new one.
    const { rows: created } = await onboardingDb.query<{ envelope: Envelope }>(
      "SELECT envelope FROM outbox WHERE topic = 'account.created' AND envelope->>'aggregateId' = $1",
      [customerId],
    );
    expect(created).toHaveLength(1);
    const replayed: Envelope = { ...created[0]!.envelope, eventId: randomUUID() };
    expect(Date.parse(replayed.occurredAt)).toBeLessThan(Date.parse(events[0]!.envelope.payload.changedAt));
    await publish(TOPICS.accountCreated, replayed);
    await eventually(() => appliedHere(replayed.eventId), { timeoutMs: 45_000, what: 'the replayed account.created applied' });
    expect(await contactHere(customerId)).toMatchObject({ email: newEmail, phone: newPhone });

    await publish(TOPICS.pixCompleted, pixCompleted(payer, receiver, '1234'));
    await eventually(async () => (await mailsTo(newEmail)).filter((m) => m.subject === 'Pix recebido').length === 2, { timeoutMs: 45_000, what: 'the second e-mail to the new address' });
    await eventually(async () => (await smsTo(newPhone)).filter((s) => s.text.includes('Você recebeu um Pix')).length === 2, { timeoutMs: 45_000, what: 'the second SMS to the new number' });
    // The old address and number got the welcome and the alert (once), never a Pix; the new ones never the alert.
    expect((await mailsTo(a.email)).map((m) => m.subject).filter((subject) => subject !== 'Bem-vindo(a) ao KRT Bank')).toEqual(['Dados de contato alterados']);
    expect((await smsTo(a.phone)).filter((s) => s.text.includes('Você recebeu um Pix'))).toEqual([]);
    expect((await smsTo(a.phone)).filter((s) => s.text.includes('foram alterados'))).toHaveLength(1);
    expect((await mailsTo(newEmail)).filter((m) => m.subject === 'Dados de contato alterados')).toEqual([]);
    expect((await smsTo(newPhone)).filter((s) => s.text.includes('foram alterados'))).toEqual([]);
  });

  it('when an older account.created arrives after the e-mail it carries went to another customer, then it is applied as the no-op it is, not dead-lettered as a conflict', async () => {
    const first = testCustomer('Rita Antiga Moraes');
    const created = accountCreated(first);
    await publish(TOPICS.accountCreated, created);
    await eventually(async () => (await contactHere(first.customerId))?.email === first.email, { timeoutMs: 45_000, what: 'the first customer known' });
    // The first customer moves to another address; a new customer gets the old one.
    const moved = { ...first, email: `rita-${randomUUID().slice(0, 8)}@example.com` };
    await publish(
      TOPICS.customerContactChanged,
      envelope(TOPICS.customerContactChanged, first.customerId, { customerId: first.customerId, fullName: first.fullName, email: moved.email, phone: first.phone, changedAt: new Date(Date.parse(created.occurredAt) + 1000).toISOString() }),
    );
    await eventually(async () => (await contactHere(first.customerId))?.email === moved.email, { timeoutMs: 45_000, what: 'the new address of the first customer' });
    const second = { ...testCustomer('Sonia Nova Prado'), email: first.email };
    await publish(TOPICS.accountCreated, accountCreated(second));
    await eventually(async () => (await contactHere(second.customerId))?.email === first.email, { timeoutMs: 45_000, what: 'the old address as the second customer\'s' });

    // The first customer's account.created again (as replayed from its dead-letter topic): older than what is held.
    const replayed: Envelope = { ...created, eventId: randomUUID() };
    await publish(TOPICS.accountCreated, replayed);
    await eventually(() => appliedHere(replayed.eventId), { timeoutMs: 45_000, what: 'the old account.created applied (not dead-lettered)' });
    expect(await contactHere(first.customerId)).toMatchObject({ email: moved.email });
    expect(await contactHere(second.customerId)).toMatchObject({ email: first.email });
  });
});
