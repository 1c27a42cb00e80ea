import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../../tools/k6-runner/src/cookie-jar';
import { stageValue, startedBy } from '../../../tools/k6-runner/src/executors';
import { Metric, parseThreshold } from '../../../tools/k6-runner/src/metrics';

describe('k6 runner parts', () => {
  it('when cookies are stored, then host, path, expiry and Secure decide which are sent (Go cookiejar semantics)', () => {
    const jar = new CookieJar();
    const base = new URL('http://127.0.0.1:5000/auth/session');
    jar.storeFromResponse(base, ['krt-session=abc; Path=/; HttpOnly; SameSite=Strict', 'only-auth=1', 'secure=1; Path=/; Secure', 'gone=1; Path=/; Max-Age=0']);
    expect(jar.cookiesForURL('http://127.0.0.1:5000/api/v1/dashboard')).toEqual({ 'krt-session': ['abc'] });
    expect(jar.cookiesForURL('http://127.0.0.1:5000/auth/me')).toEqual({ 'krt-session': ['abc'], 'only-auth': ['1'] });
    expect(jar.cookiesForURL('https://127.0.0.1:5000/')).toEqual({ 'krt-session': ['abc'], secure: ['1'] });
    expect(jar.cookiesForURL('http://localhost:5000/')).toEqual({});
    jar.storeFromResponse(base, ['krt-session=; Path=/; Max-Age=0']);
    expect(jar.cookiesForURL('http://127.0.0.1:5000/')).toEqual({});
    jar.set('http://127.0.0.1:5000', 'krt-session', 'xyz', { path: '/' });
    expect(jar.cookiesForURL('http://127.0.0.1:5000/api')).toEqual({ 'krt-session': ['xyz'] });
    jar.clear('http://127.0.0.1:5000');
    expect(jar.cookiesForURL('http://127.0.0.1:5000/api')).toEqual({});
  });

  it('when stages ramp, then the target is linear within a stage and the started iterations are its integral', () => {
    const stages = [
      { durationMs: 10_000, target: 100 },
      { durationMs: 10_000, target: 100 },
    ];
    expect(stageValue(0, stages, 5_000)).toBe(50);
    expect(stageValue(0, stages, 15_000)).toBe(100);
    expect(stageValue(0, stages, 60_000)).toBe(100);
    // rate 0→100/s over 10 s starts 500 iterations, then 100/s for 5 s starts 500 more.
    expect(startedBy(0, stages, 1000, 10_000)).toBeCloseTo(500);
    expect(startedBy(0, stages, 1000, 15_000)).toBeCloseTo(1000);
  });

  it('when thresholds are evaluated, then percentiles interpolate as k6 does and bad expressions are refused', () => {
    const m = new Metric('t', 'trend', 'time');
    for (let i = 1; i <= 100; i++) m.add(i, {});
    m.thresholds = [parseThreshold('p(95)<96'), parseThreshold('p(95)<95'), parseThreshold('med==50.5'), parseThreshold('max<=100')];
    expect(m.evaluate(1).map((t) => t.source)).toEqual(['p(95)<95']);
    const r = new Metric('r', 'rate', 'default');
    r.add(1, {});
    r.add(0, {});
    r.thresholds = [parseThreshold('rate<0.5')];
    expect(m.evaluate(1).length + r.evaluate(1).length).toBe(2);
    expect(() => parseThreshold('p95 < 3')).toThrow(/threshold expression "p95 < 3"/);
  });
});
