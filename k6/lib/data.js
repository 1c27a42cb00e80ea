// Test data: valid CPFs (check digits), customer fields, and the two small images the registration's KYC reads.

function randomDigits(n) {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 10);
  return s;
}

/** A random CPF with valid check digits (never one with all digits equal). */
export function randomCpf() {
  for (;;) {
    const base = randomDigits(9);
    if (/^(\d)\1+$/.test(base)) continue;
    const digit = (s) => {
      let sum = 0;
      for (let i = 0; i < s.length; i++) sum += Number(s[i]) * (s.length + 1 - i);
      const r = (sum * 10) % 11;
      return r === 10 ? 0 : r;
    };
    const d1 = digit(base);
    return base + d1 + digit(base + d1);
  }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
function word(n) {
  let s = '';
  for (let i = 0; i < n; i++) s += LETTERS[Math.floor(Math.random() * LETTERS.length)];
  return s[0].toUpperCase() + s.slice(1);
}

export const POOL_PASSWORD = __ENV.POOL_PASSWORD || 'Carga@2026k6';
/** The pool's transaction PIN, chosen at registration and sent with every PIX (not a run, a repetition or a year). */
export const POOL_PIN = __ENV.POOL_PIN || '4721';

/** The registration form's fields for a new adult customer. */
export function newCustomer() {
  const cpf = randomCpf();
  return {
    cpf,
    fields: {
      fullName: `Cliente ${word(6)} ${word(7)}`,
      cpf,
      birthDate: '1988-03-14',
      email: `k6.${cpf}@carga.test`,
      phone: `+55119${randomDigits(8)}`,
      cep: '01310-100',
      street: 'Avenida Paulista',
      number: String(100 + Math.floor(Math.random() * 1800)),
      neighborhood: 'Bela Vista',
      city: 'São Paulo',
      state: 'SP',
      password: POOL_PASSWORD,
      transactionPin: POOL_PIN,
      acceptTerms: 'true',
      acceptPrivacy: 'true',
      documentType: 'RG',
      documentNumber: randomDigits(9),
      documentIssuer: 'SSP/SP',
    },
  };
}

const bytes = (hex) => {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out.buffer;
};

/** A 1×1 PNG header and a minimal JPEG: the KYC check reads magic bytes. */
export const SELFIE_PNG = bytes('89504e470d0a1a0a0000000d4948445200000001000000010806000000');
export const DOCUMENT_JPEG = bytes('ffd8ffe000104a46494600010100000100010000ffd9');

/** An RFC 4122 version-4 UUID for Idempotency-Key (Math.random is enough for a key that must not repeat in a test). */
export function uuid() {
  const h = [];
  for (let i = 0; i < 16; i++) h.push(Math.floor(Math.random() * 256));
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const s = h.map((b) => (b < 16 ? '0' : '') + b.toString(16)).join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
