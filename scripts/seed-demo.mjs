// Seeds the demo customer through the real journey (registration + automatic KYC → Keycloak user → ledger account
// through Kafka) and funds it with a sandbox deposit (requested by the operator, approved by the second operator:
// dual control). Idempotent: a second run only checks.
import { fundAccount, passwordToken } from './sandbox-deposit.mjs';
import { step } from './stack/common.mjs';

export const DEMO = {
  cpf: '52998224725',
  password: 'Demo@2026',
  /** The transaction PIN ("senha de transação") every PIX, devolução and limit change asks for. */
  pin: '4721',
  fullName: 'Ana Clara Demonstração',
  email: 'ana.demo@krtbank.com.br',
  phone: '+5511987650001',
  depositReais: '5000.00',
};
const ONBOARDING = process.env.ONBOARDING_URL ?? 'http://127.0.0.1:5001';
const PAYMENTS = process.env.PAYMENTS_URL ?? 'http://127.0.0.1:5002';

const formatCpf = (c) => `${c.slice(0, 3)}.${c.slice(3, 6)}.${c.slice(6, 9)}-${c.slice(9)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A 1×1 PNG and a minimal JPEG header: the KYC check reads magic bytes.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

async function register() {
  const form = new FormData();
  const fields = {
    fullName: DEMO.fullName, cpf: DEMO.cpf, birthDate: '1990-05-17', email: DEMO.email, phone: DEMO.phone,
    cep: '01310-100', street: 'Avenida Paulista', number: '1578', neighborhood: 'Bela Vista', city: 'São Paulo', state: 'SP',
    password: DEMO.password, transactionPin: DEMO.pin, acceptTerms: 'true', acceptPrivacy: 'true', documentType: 'RG', documentNumber: '123456789', documentIssuer: 'SSP/SP',
  };
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('documentImage', new Blob([JPEG], { type: 'image/jpeg' }), 'documento.jpg');
  form.set('selfieImage', new Blob([PNG], { type: 'image/png' }), 'selfie.png');
  const res = await fetch(`${ONBOARDING}/v1/registrations`, { method: 'POST', body: form });
  const body = await res.json();
  if (res.status !== 201 && res.status !== 409) throw new Error(`demo registration answered ${res.status}: ${JSON.stringify(body)}`);
}

async function until(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    await sleep(500);
  }
  throw new Error(`demo customer: ${what} not reached within ${timeoutMs / 1000} s`);
}

export async function seedDemo() {
  let token = await passwordToken(DEMO.cpf, DEMO.password);
  if (!token) {
    step('demo: opening the demo customer account (registration + KYC)');
    await register();
    token = await until('sign-in after provisioning', () => passwordToken(DEMO.cpf, DEMO.password));
  }
  const account = await until('ledger account opened by the Account consumer', async () => {
    const res = await fetch(`${PAYMENTS}/v1/accounts/me`, { headers: { authorization: `Bearer ${token}` } });
    return res.ok ? res.json() : undefined;
  });
  // A demo customer from before the transaction PIN gets it now (409: it has one already).
  const pin = await fetch(`${PAYMENTS}/v1/pix/pin`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ pin: DEMO.pin }),
  });
  if (pin.status !== 204 && pin.status !== 409) throw new Error(`demo transaction PIN answered ${pin.status}: ${await pin.text()}`);
  const balance = await (await fetch(`${PAYMENTS}/v1/accounts/me/balance`, { headers: { authorization: `Bearer ${token}` } })).json();
  if (balance.posted === '0.00') {
    await fundAccount({ paymentsUrl: PAYMENTS, accountId: account.accountId, amount: DEMO.depositReais, description: 'Depósito de demonstração', reason: 'Saldo da cliente de demonstração' });
    step(`demo: deposited R$ ${DEMO.depositReais} into the demo account (requested by operador, approved by supervisora)`);
  }
  return { cpf: formatCpf(DEMO.cpf), password: DEMO.password, pin: DEMO.pin };
}
