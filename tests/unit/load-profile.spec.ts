import { describe, expect, it } from 'vitest';
import { loadBffConfig } from '../../apps/bff/src/config';
import { loadOnboardingConfig } from '../../apps/onboarding/src/config';

describe('KRT_PROFILE=load (rate limits sized for k6 load runs)', () => {
  it('when no profile is set, then the BFF and onboarding keep their protective production limits', () => {
    const bff = loadBffConfig({});
    expect(bff.RATE_LIMIT_API_PER_SESSION).toBe(600);
    expect(bff.RATE_LIMIT_SIGNIN_PER_IP).toBe(20);
    expect(bff.RATE_LIMIT_REGISTRATION_PER_IP).toBe(30);
    expect(loadOnboardingConfig({}).ONBOARDING_REGISTRATION_RATE_POINTS).toBe(10);
  });

  it('when the load profile is set, then every per-IP, per-session and sign-in limit is raised for one load generator', () => {
    const bff = loadBffConfig({ KRT_PROFILE: 'load' });
    expect(bff.RATE_LIMIT_API_PER_SESSION).toBeGreaterThanOrEqual(100_000);
    expect(bff.RATE_LIMIT_API_PER_IP).toBeGreaterThanOrEqual(1_000_000);
    expect(bff.RATE_LIMIT_SIGNIN_PER_IP).toBeGreaterThanOrEqual(10_000);
    expect(bff.RATE_LIMIT_SIGNIN_PER_IP_CPF).toBeGreaterThanOrEqual(1_000);
    expect(bff.RATE_LIMIT_AUTH_PER_IP).toBeGreaterThanOrEqual(10_000);
    expect(bff.RATE_LIMIT_REGISTRATION_PER_IP).toBeGreaterThanOrEqual(100_000);
    expect(loadOnboardingConfig({ KRT_PROFILE: 'load' }).ONBOARDING_REGISTRATION_RATE_POINTS).toBeGreaterThanOrEqual(100_000);
  });

  it('when a limit is set explicitly under the profile, then the explicit value wins', () => {
    expect(loadBffConfig({ KRT_PROFILE: 'load', RATE_LIMIT_SIGNIN_PER_IP: '7' }).RATE_LIMIT_SIGNIN_PER_IP).toBe(7);
    expect(loadOnboardingConfig({ KRT_PROFILE: 'load', ONBOARDING_REGISTRATION_RATE_POINTS: '500' }).ONBOARDING_REGISTRATION_RATE_POINTS).toBe(500);
  });

  it('when the profile is unknown or a production process is asked to use it, then start-up refuses', () => {
    expect(() => loadBffConfig({ KRT_PROFILE: 'fast' })).toThrow(/KRT_PROFILE/);
    expect(() => loadBffConfig({ KRT_PROFILE: 'load', NODE_ENV: 'production' })).toThrow(/never for production/);
    expect(() => loadOnboardingConfig({ KRT_PROFILE: 'load', NODE_ENV: 'production', ONBOARDING_SECRET_KEY: 'x'.repeat(64) })).toThrow(/never for production/);
  });
});
