// The BFF's view of the bank: each upstream API's own /ready, with the components it reports.
import type { ReadinessCheck } from '@krt/platform/http';

interface UpstreamReport {
  checks?: Record<string, 'up' | 'down'>;
  down?: string[];
}

/**
 * One check per upstream (`payments`, `onboarding`), plus one per component the upstreams report
 * (postgres, kafka, ...): a component is up when every upstream that uses it says so.
 */
export function upstreamReadiness(upstreams: Record<string, string[]>, components: string[]): ReadinessCheck[] {
  let cache: { at: number; reports: Promise<Record<string, UpstreamReport | Error>> } | undefined;
  const fetchAll = () => {
    if (cache && Date.now() - cache.at < 250) return cache.reports;
    const reports = (async () => {
      const entries = await Promise.all(
        Object.entries(upstreams).map(async ([name, urls]) => {
          const results = await Promise.all(
            urls.map(async (url) => {
              try {
                const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1400) });
                return (await res.json()) as UpstreamReport;
              } catch (e) {
                return e as Error;
              }
            }),
          );
          // An upstream is ready when at least one replica is ready.
          const ready = results.find((r) => !(r instanceof Error) && !(r.down?.length)) as UpstreamReport | undefined;
          return [name, ready ?? results.find((r) => !(r instanceof Error)) ?? results[0]!] as const;
        }),
      );
      return Object.fromEntries(entries);
    })();
    cache = { at: Date.now(), reports };
    return reports;
  };

  const perUpstream: ReadinessCheck[] = Object.keys(upstreams).map((name) => ({
    name,
    check: async () => {
      const report = (await fetchAll())[name];
      if (report instanceof Error) throw new Error(`${name} unreachable: ${report.message}`);
      if (report?.down?.length) throw new Error(`${name} reports down: ${report.down.join(', ')}`);
    },
  }));
  const perComponent: ReadinessCheck[] = components.map((component) => ({
    name: component,
    check: async () => {
      const reports = Object.values(await fetchAll()).filter((r): r is UpstreamReport => !(r instanceof Error));
      if (!reports.length) throw new Error('no upstream answered');
      const states = reports.map((r) => r.checks?.[component]).filter(Boolean);
      if (!states.length) throw new Error('no upstream reports it');
      if (states.includes('down')) throw new Error(`${component} is down`);
    },
  }));
  return [...perUpstream, ...perComponent];
}
