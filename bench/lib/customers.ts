// Bench customers, made through the bank's real paths: the public registration through the BFF (multipart form with the
// two small images the KYC reads; onboarding approves, provisions the Keycloak user and publishes `account.created`, and
// the stack's Account consumer opens the ledger account), a first-party sign-in at the BFF (`POST /auth/session`,
// X-CSRF) whose cookie is the customer's session, and a sandbox deposit through the payments API (requested by one
// operator, approved by a second: @krt/testing fundAccount).
// When registration is rate limited (a stack without KRT_PROFILE=load allows onboarding 10 registrations per address
// per 10 minutes) a customer is made as tests/integration/bff/bff-test-kit.ts makes one (that kit imports vitest's
// `expect` and cannot be loaded outside vitest): a Keycloak user with a customer_id and `account.created` on Kafka. Such a
// customer has no onboarding record, so its dashboard lacks the `customer` part; the bench counts and prints them.
import { TOPICS } from '@krt/contracts';
import { generateCpf } from '@krt/domain';
import { createKafka } from '@krt/platform/messaging';
import { DEV_TRANSACTION_PIN_KEY, hashTransactionPin, parseTransactionPinKey } from '@krt/platform/auth';
import { createRealmUser, eventually, fundAccount } from '@krt/testing';
import { randomInt, randomUUID } from 'node:crypto';

export const PASSWORD = 'Krt#Bench2026';
/** The bench customers' transaction PIN (sent with every PIX). */
export const PIN = '4721';
/** account.created's `transactionPinHash` of `PIN` for a customer created through the test kit's path. */
export const pinHashOf = (customerId: string) => hashTransactionPin(parseTransactionPinKey(DEV_TRANSACTION_PIN_KEY), customerId, PIN);

export interface BenchCustomer {
  cpf: string;
  customerId: string;
  accountId: string;
  /** The `Cookie` header of this customer's BFF session. */
  cookie: string;
}

export interface CustomerFactoryOptions {
  bffUrl: string;
  paymentsUrl: string;
  /** Called for every 429 the BFF answers to a sign-in (the bench counts and prints them). */
  onSignInRateLimited?: (retryAfterSeconds: number) => void;
}

export interface CustomerFactory {
  open(opts: { deposit?: string }): Promise<BenchCustomer>;
  /** How many customers were made by the fallback path (registration answered 429). */
  readonly fallbacks: number;
  signIn(cpf: string): Promise<string>;
  close(): Promise<void>;
}

export async function customerFactory(opts: CustomerFactoryOptions): Promise<CustomerFactory> {
  let producer: Promise<ReturnType<ReturnType<typeof createKafka>['producer']>> | undefined;
  let fallbacks = 0;

  async function signIn(cpf: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${opts.bffUrl}/auth/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf': '1' },
        body: JSON.stringify({ cpf, password: PASSWORD }),
      });
      await res.arrayBuffer();
      if (res.status === 429 && attempt < 10) {
        const wait = Number(res.headers.get('retry-after') ?? 1);
        opts.onSignInRateLimited?.(wait);
        await new Promise((r) => setTimeout(r, wait * 1000));
        continue;
      }
      if (res.status >= 300) throw new Error(`BFF sign-in: ${res.status}`);
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!)
        .join('; ');
      if (!/krt-session=/.test(cookie)) throw new Error('BFF sign-in set no session cookie');
      return cookie;
    }
  }

  const word = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode((i ? 97 : 65) + randomInt(26))).join('');
  const hex = (h: string) => new Blob([Buffer.from(h, 'hex')]);
  /**
   * The public registration, as the web app sends it: 'rate-limited' on 429, 'taken' when the random CPF, e-mail or
   * phone is already a customer's (409; a long-lived database holds many bench customers).
   */
  async function register(cpf: string): Promise<'registered' | 'rate-limited' | 'taken'> {
    const form = new FormData();
    const fields: Record<string, string> = {
      fullName: `Cliente ${word(7)} Silva`,
      cpf,
      birthDate: '1988-03-14',
      email: `bench.${cpf}@bench.krt.dev`,
      phone: `+55119${String(randomInt(100_000_000)).padStart(8, '0')}`,
      cep: '01310-100',
      street: 'Avenida Paulista',
      number: String(100 + randomInt(1800)),
      neighborhood: 'Bela Vista',
      city: 'São Paulo',
      state: 'SP',
      password: PASSWORD,
      transactionPin: PIN,
      acceptTerms: 'true',
      acceptPrivacy: 'true',
      documentType: 'RG',
      documentNumber: String(randomInt(100_000_000, 999_999_999)),
      documentIssuer: 'SSP/SP',
    };
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    // A minimal JPEG and a PNG header: the KYC check reads magic bytes (as k6/lib/data.js sends them).
    form.append('documentImage', new File([hex('ffd8ffe000104a46494600010100000100010000ffd9')], 'documento.jpg', { type: 'image/jpeg' }));
    form.append('selfieImage', new File([hex('89504e470d0a1a0a0000000d4948445200000001000000010806000000')], 'selfie.png', { type: 'image/png' }));
    const res = await fetch(`${opts.bffUrl}/api/v1/registrations`, { method: 'POST', headers: { 'x-csrf': '1' }, body: form });
    const body = (await res.json().catch(() => ({}))) as { applicationId?: string; statusToken?: string; status?: string; code?: string };
    if (res.status === 429) return 'rate-limited';
    if (res.status === 409 && /_ALREADY_REGISTERED$/.test(body.code ?? '')) return 'taken';
    if (res.status !== 201 || !body.applicationId) throw new Error(`registration: ${res.status} ${JSON.stringify(body)}`);
    await eventually(
      async () => {
        if (body.status === 'ACTIVE') return true;
        const r = await fetch(`${opts.bffUrl}/api/v1/registrations/${body.applicationId}?token=${encodeURIComponent(body.statusToken ?? '')}`, { headers: { 'x-csrf': '1' } });
        const s = (await r.json().catch(() => ({}))) as { status?: string };
        if (s.status === 'REJECTED') throw new Error(`registration ${body.applicationId} rejected`);
        return s.status === 'ACTIVE';
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `registration ${body.applicationId} ACTIVE` },
    );
    return 'registered';
  }

  /** The test kit's path: a realm user with a customer_id and `account.created` on Kafka. */
  async function realmCustomer(cpf: string) {
    producer ??= (async () => {
      const p = createKafka('krt-bench', '127.0.0.1:9092').producer({ allowAutoTopicCreation: false });
      await p.connect();
      return p;
    })();
    const customerId = randomUUID();
    const email = `bench-${customerId.slice(0, 8)}@bench.krt.dev`;
    const fullName = `Cliente Bench ${customerId.slice(0, 4)} Silva`;
    const user = await createRealmUser({ username: cpf, password: PASSWORD, email, customerId, roles: ['customer'] });
    await (
      await producer
    ).send({
      topic: TOPICS.accountCreated,
      messages: [
        {
          key: customerId,
          value: JSON.stringify({
            eventId: randomUUID(),
            type: TOPICS.accountCreated,
            occurredAt: new Date().toISOString(),
            aggregateId: customerId,
            correlationId: `bench-${randomUUID()}`,
            schemaVersion: 1,
            payload: { customerId, keycloakUserId: user.id, fullName, cpf, email, phone: '+5511987654321', transactionPinHash: pinHashOf(customerId) },
          }),
        },
      ],
    });
  }

  async function open({ deposit }: { deposit?: string }): Promise<BenchCustomer> {
    let cpf = generateCpf((n) => randomInt(n)).value;
    let outcome = await register(cpf);
    // Another identity when this one is taken (a few tries: each is a fresh CPF and phone).
    for (let tries = 1; outcome === 'taken' && tries < 5; tries++) {
      cpf = generateCpf((n) => randomInt(n)).value;
      outcome = await register(cpf);
    }
    if (outcome === 'taken') throw new Error('registration: five random identities in a row were already registered');
    if (outcome === 'rate-limited') {
      fallbacks++;
      await realmCustomer(cpf);
    }
    const cookie = await signIn(cpf);
    const me = await eventually(
      async () => {
        const r = await fetch(`${opts.bffUrl}/api/v1/accounts/me`, { headers: { cookie, 'x-csrf': '1' } });
        return r.status === 200 ? ((await r.json()) as { accountId: string; customerId?: string }) : (await r.arrayBuffer(), undefined);
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'ledger account opened by the Account consumer' },
    );
    if (deposit) await fundAccount(me.accountId, deposit, { paymentsUrl: opts.paymentsUrl, description: 'Depósito do benchmark', reason: 'Saldo do benchmark' });
    return { cpf, customerId: me.customerId ?? '', accountId: me.accountId, cookie };
  }

  return {
    open,
    signIn,
    get fallbacks() {
      return fallbacks;
    },
    close: async () => {
      await (await producer)?.disconnect();
    },
  };
}

/** Runs `fn` over `items` with at most `limit` in flight; results in the items' order. */
export async function inBatches<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}
