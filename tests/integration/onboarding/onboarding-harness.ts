// Runs the onboarding service in-process (random port) against the real stack, and builds applicants.
import { generateCpf } from '@krt/domain';
import { createLogger } from '@krt/platform/telemetry';
import { listen } from '@krt/platform/http';
import { migrateService } from '@krt/platform/persistence';
import { randomInt, randomUUID } from 'node:crypto';
import { loadOnboardingConfig } from '../../../apps/onboarding/src/config';
import { buildOnboarding, MIGRATIONS_DIR, type OnboardingOverrides } from '../../../apps/onboarding/src/wiring';

export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);

export interface Harness {
  url: string;
  logs: string[];
  onboarding: ReturnType<typeof buildOnboarding>;
  stop(): Promise<void>;
}

export async function startOnboarding(env: Record<string, string> = {}, overrides: OnboardingOverrides = {}): Promise<Harness> {
  const cfg = loadOnboardingConfig({ ...process.env, ONBOARDING_REGISTRATION_RATE_POINTS: '100000', ...env });
  const logs: string[] = [];
  const logger = createLogger('onboarding', { level: 'info', destination: { write: (line: string) => void logs.push(line) } });
  await migrateService(cfg.ONBOARDING_DATABASE_URL, MIGRATIONS_DIR, logger);
  const onboarding = buildOnboarding(cfg, logger, overrides);
  await onboarding.start();
  const server = await listen(onboarding.app, 0);
  return {
    url: `http://127.0.0.1:${server.port}`,
    logs,
    onboarding,
    stop: async () => {
      await server.close();
      await onboarding.stop();
    },
  };
}

export interface Applicant {
  fullName: string;
  cpf: string;
  birthDate: string;
  email: string;
  phone: string;
  password: string;
  [field: string]: string;
}

export function newCpf(): string {
  return generateCpf((n) => randomInt(n)).value;
}

export function newApplicant(overrides: Partial<Applicant> = {}): Applicant {
  const tag = randomUUID().slice(0, 8);
  return {
    fullName: 'Beatriz Helena Moura',
    cpf: newCpf(),
    birthDate: '1991-03-09',
    email: `onb-${tag}@example.com`,
    phone: `+55119${String(randomInt(10_000_000, 99_999_999))}`,
    cep: '01310-100',
    street: 'Avenida Paulista',
    number: '1000',
    complement: 'apto 42',
    neighborhood: 'Bela Vista',
    city: 'São Paulo',
    state: 'SP',
    password: `Krt@${tag}A1`,
    transactionPin: '4721',
    acceptTerms: 'true',
    acceptPrivacy: 'true',
    documentType: 'RG',
    documentNumber: '123456789',
    documentIssuer: 'SSP/SP',
    ...overrides,
  };
}

export function registrationForm(applicant: Partial<Applicant>, files: { documentImage?: Uint8Array | null; selfieImage?: Uint8Array | null } = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(applicant)) if (v !== undefined) form.set(k, v);
  const doc = files.documentImage === undefined ? JPEG : files.documentImage;
  const selfie = files.selfieImage === undefined ? PNG : files.selfieImage;
  if (doc) form.set('documentImage', new Blob([doc], { type: 'image/jpeg' }), 'documento.jpg');
  if (selfie) form.set('selfieImage', new Blob([selfie], { type: 'image/png' }), 'selfie.png');
  return form;
}

/** A random client IP, forwarded as the BFF does (trusted because the test connects from loopback). */
export const randomIp = () => `198.51.100.${randomInt(1, 254)}`;

export async function register(url: string, applicant: Partial<Applicant>, opts: { files?: Parameters<typeof registrationForm>[1]; ip?: string } = {}) {
  const res = await fetch(`${url}/v1/registrations`, { method: 'POST', body: registrationForm(applicant, opts.files), headers: { 'x-forwarded-for': opts.ip ?? randomIp() } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

export async function getJson(url: string, token?: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) } });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body };
}
