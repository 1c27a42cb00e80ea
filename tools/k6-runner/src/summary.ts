// What the runner hands to handleSummary (k6's shape: metrics with type, contains, values and thresholds, the root
// group's checks, options, state) and the end-of-test text it prints when the script has no handleSummary.
import { state } from './runtime';

export interface SummaryData {
  root_group: { name: string; path: string; id: string; groups: unknown[]; checks: Array<{ name: string; path: string; id: string; passes: number; fails: number }> };
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, { type: string; contains: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
}

export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

export function summaryData(testRunDurationMs: number): SummaryData {
  const trendStats = (state.options.summaryTrendStats as string[] | undefined) ?? DEFAULT_TREND_STATS;
  const elapsed = testRunDurationMs / 1000;
  const metrics: SummaryData['metrics'] = {};
  for (const m of state.registry.all()) {
    if (m.filter && !m.thresholds.length) continue;
    if (!m.sink.count && !m.thresholds.length) continue;
    metrics[m.name] = { type: m.type, contains: m.contains, values: m.values(elapsed, trendStats) };
    if (m.thresholds.length) metrics[m.name]!.thresholds = Object.fromEntries(m.thresholds.map((t) => [t.source, { ok: t.ok }]));
  }
  return {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [...state.checks].map(([name, c]) => ({ name, path: `::${name}`, id: name, passes: c.passes, fails: c.fails })) },
    options: { summaryTrendStats: trendStats, summaryTimeUnit: '', noColor: !process.stdout.isTTY },
    state: { isStdOutTTY: Boolean(process.stdout.isTTY), isStdErrTTY: Boolean(process.stderr.isTTY), testRunDurationMs },
    metrics,
  };
}

const fmt = (v: number, contains: string) => (contains === 'time' ? (v >= 1000 ? `${(v / 1000).toFixed(2)}s` : `${v.toFixed(2)}ms`) : Number.isInteger(v) ? String(v) : v.toFixed(4));

/** k6's default end-of-test summary, in short. */
export function defaultTextSummary(data: SummaryData): string {
  const lines: string[] = [];
  for (const c of data.root_group.checks) lines.push(`     ${c.fails ? '✗' : '✓'} ${c.name}${c.fails ? `  ↳ ${Math.round((100 * c.passes) / (c.passes + c.fails))}% — ✓ ${c.passes} / ✗ ${c.fails}` : ''}`);
  if (lines.length) lines.push('');
  for (const name of Object.keys(data.metrics).sort()) {
    const m = data.metrics[name]!;
    const crossed = m.thresholds && Object.values(m.thresholds).some((t) => !t.ok);
    const mark = m.thresholds ? (crossed ? '✗' : '✓') : ' ';
    const values =
      m.type === 'rate'
        ? `${(100 * m.values.rate!).toFixed(2)}% ✓ ${m.values.passes} ✗ ${m.values.fails}`
        : m.type === 'counter'
          ? `${fmt(m.values.count!, m.contains)} ${m.values.rate!.toFixed(2)}/s`
          : Object.entries(m.values)
              .map(([k, v]) => `${k}=${fmt(v, m.contains)}`)
              .join(' ');
    lines.push(`   ${mark} ${name.padEnd(38, '.')}: ${values}`);
  }
  return `${lines.join('\n')}\n`;
}
