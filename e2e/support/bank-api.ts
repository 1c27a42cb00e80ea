// Test data through the real APIs: customers register and sign in through the BFF exactly as the browser does;
// the operators' sandbox deposit (requested by one, approved by another) goes straight to payments with Keycloak tokens.
import { TOPICS } from '@krt/contracts';
import { generateCpf } from '@krt/domain';
import { createKafka } from '@krt/platform/messaging';
import { createRealmUser, fundAccount } from '@krt/testing';
import { expect, request, type APIRequestContext } from '@playwright/test';
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://localhost:5000';
export const PAYMENTS_URL = process.env.E2E_PAYMENTS_URL ?? 'http://127.0.0.1:5002';
export const ONBOARDING_URL = process.env.E2E_ONBOARDING_URL ?? 'http://127.0.0.1:5001';
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));
export const DOCUMENT_PNG = fixture('documento.png');
export const SELFIE_PNG = fixture('selfie.png');

export interface CustomerData {
  fullName: string;
  cpf: string;
  birthDate: string; // yyyy-MM-dd
  email: string;
  phone: string; // +55DD9XXXXXXXX
  password: string;
  /** The transaction PIN chosen at account opening (asked by every PIX, devolução and limit change). */
  pin: string;
}

/** The test customers' transaction PIN: not obvious (no run, repetition, year) and never a DDMM/MMDD birth date. */
export const TEST_PIN = '4721';

const FIRST = ['Ana', 'Bruno', 'Carla', 'Diego', 'Elisa', 'Fábio', 'Gabriela', 'Heitor', 'Isabela', 'João'];
const LAST = ['Souza', 'Oliveira', 'Santos', 'Pereira', 'Lima', 'Carvalho', 'Ribeiro', 'Almeida', 'Gomes', 'Martins'];

export function newCustomer(): CustomerData {
  const cpf = generateCpf((n) => randomInt(n)).value;
  const tag = `${Date.now().toString(36)}${randomInt(1e6).toString(36)}`;
  return {
    fullName: `${FIRST[randomInt(FIRST.length)]} ${LAST[randomInt(LAST.length)]} ${LAST[randomInt(LAST.length)]}`,
    cpf,
    birthDate: `19${70 + randomInt(25)}-0${1 + randomInt(9)}-1${randomInt(9)}`,
    email: `e2e.${tag}@krt.test`,
    phone: `+55119${String(randomInt(1e8)).padStart(8, '0')}`,
    // Always 12 characters: a short random number once gave a 7-character password that the policy refused.
    password: `Krt#${String(randomInt(1e6)).padStart(6, '0')}Ab`,
    pin: TEST_PIN,
  };
}

export const formatCpf = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;

/** A request context with its own cookie jar, sending the anti-forgery header like the web app. */
export async function bffContext(): Promise<APIRequestContext> {
  return request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { 'X-CSRF': '1' } });
}

/**
 * Registers a counterparty through the onboarding API (the same multipart the BFF forwards) and waits for the
 * automatic KYC to activate it (or, `until` PENDING_REVIEW, to send it to an operator). It goes straight to onboarding, as a distinct client address (X-Forwarded-For from
 * TEST-NET-2, which onboarding honours from loopback), so the per-IP registration limit that protects the public
 * route is left for the one registration the journey makes through the browser.
 */
export async function registerCustomer(c: CustomerData, until: 'ACTIVE' | 'PENDING_REVIEW' = 'ACTIVE'): Promise<{ applicationId: string }> {
  const api = await request.newContext({
    baseURL: ONBOARDING_URL,
    extraHTTPHeaders: { 'X-Forwarded-For': `198.51.100.${1 + randomInt(254)}` },
  });
  try {
    const res = await api.post('/v1/registrations', {
      multipart: {
        fullName: c.fullName,
        cpf: c.cpf,
        birthDate: c.birthDate,
        email: c.email,
        phone: c.phone,
        cep: '01310100',
        street: 'Avenida Paulista',
        number: '1000',
        neighborhood: 'Bela Vista',
        city: 'São Paulo',
        state: 'SP',
        password: c.password,
        transactionPin: c.pin,
        acceptTerms: 'true',
        acceptPrivacy: 'true',
        documentType: 'RG',
        documentNumber: String(10_000_000 + randomInt(89_999_999)),
        documentIssuer: 'SSP/SP',
        documentImage: { name: 'documento.png', mimeType: 'image/png', buffer: DOCUMENT_PNG },
        selfieImage: { name: 'selfie.png', mimeType: 'image/png', buffer: SELFIE_PNG },
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    const { applicationId, statusToken } = (await res.json()) as { applicationId: string; statusToken: string };
    await expect
      .poll(
        async () => {
          const r = await api.get(`/v1/registrations/${applicationId}`, { params: { token: statusToken } });
          return r.ok() ? ((await r.json()) as { status: string }).status : `HTTP ${r.status()}`;
        },
        { timeout: 90_000, intervals: [500, 1000, 2000] },
      )
      .toBe(until);
    return { applicationId };
  } finally {
    await api.dispose();
  }
}

/** Signs in through the BFF's first-party sign-in; the returned context carries the session cookie. */
export async function signIn(c: Pick<CustomerData, 'cpf' | 'password'>): Promise<APIRequestContext> {
  const api = await bffContext();
  const res = await api.post('/auth/session', { data: { cpf: c.cpf, password: c.password } });
  expect(res.status(), await res.text()).toBe(204);
  return api;
}

/** The account is opened asynchronously (account.created → Account consumer): wait for it. */
export async function accountOf(api: APIRequestContext): Promise<{ accountId: string }> {
  let account: { accountId: string } | undefined;
  await expect
    .poll(
      async () => {
        const r = await api.get('/api/v1/accounts/me');
        if (r.ok()) account = (await r.json()) as { accountId: string };
        return r.status();
      },
      { timeout: 90_000, intervals: [500, 1000, 2000] },
    )
    .toBe(200);
  return account!;
}

/** Sandbox deposit under dual control, straight to payments: `operador` requests, `supervisora` approves (@krt/testing). */
export async function deposit(accountId: string, amount: string, description = 'Depósito de teste'): Promise<void> {
  await fundAccount(accountId, amount, { paymentsUrl: PAYMENTS_URL, description });
}

export async function registerKey(api: APIRequestContext, type: 'CPF' | 'EMAIL' | 'PHONE' | 'EVP', value?: string): Promise<string> {
  const res = await api.post('/api/v1/pix/keys', { data: value === undefined ? { type } : { type, value } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { value: string }).value;
}

/** Sends a PIX through the BFF and waits until the saga settles it. */
export async function sendPix(api: APIRequestContext, key: string, amount: string, description?: string, pin = TEST_PIN): Promise<{ id: string; endToEndId: string }> {
  const res = await api.post('/api/v1/pix/transfers', {
    headers: { 'Idempotency-Key': randomUUID() },
    data: description ? { key, amount, description, pin } : { key, amount, pin },
  });
  expect(res.status(), await res.text()).toBe(202);
  const accepted = (await res.json()) as { id: string; endToEndId: string };
  await expect
    .poll(async () => ((await (await api.get(`/api/v1/pix/transfers/${accepted.id}`)).json()) as { status: string }).status, {
      timeout: 60_000,
      intervals: [500, 1000],
    })
    .toBe('COMPLETED');
  return accepted;
}

/** A registered, signed-in, funded customer with one EVP key: a counterparty for the journeys. */
export async function fundedCustomer(amount = '1000.00'): Promise<{ data: CustomerData; api: APIRequestContext; accountId: string; key: string }> {
  const data = newCustomer();
  await registerCustomer(data);
  const api = await signIn(data);
  const { accountId } = await accountOf(api);
  await deposit(accountId, amount);
  const key = await registerKey(api, 'EVP');
  return { data, api, accountId, key };
}

/**
 * A customer from before the transaction PIN (issue #23), made the way such customers exist: a Keycloak realm user with
 * a customer_id and an `account.created` on Kafka without `transactionPinHash` (registration now requires a PIN).
 * Signed in through the BFF and funded with `amount`.
 */
export async function legacyCustomer(amount = '100.00'): Promise<{ cpf: string; password: string; api: APIRequestContext; accountId: string }> {
  const { cpf, fullName, email, phone, password } = newCustomer();
  const customerId = randomUUID();
  const user = await createRealmUser({ username: cpf, password, email, customerId, roles: ['customer'] });
  const producer = createKafka('krt-e2e', process.env.E2E_KAFKA_BROKERS ?? '127.0.0.1:9092').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const eventId = randomUUID();
    const envelope = {
      eventId,
      type: TOPICS.accountCreated,
      occurredAt: new Date().toISOString(),
      aggregateId: customerId,
      correlationId: `e2e-${randomUUID()}`,
      schemaVersion: 1,
      payload: { customerId, keycloakUserId: user.id, fullName, cpf, email, phone },
    };
    await producer.send({ topic: TOPICS.accountCreated, messages: [{ key: customerId, value: JSON.stringify(envelope), headers: { 'event-id': eventId } }] });
  } finally {
    await producer.disconnect();
  }
  const api = await signIn({ cpf, password });
  const { accountId } = await accountOf(api);
  await deposit(accountId, amount);
  return { cpf, password, api, accountId };
}
