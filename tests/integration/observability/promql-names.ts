// Metric names used by a PromQL expression (enough for the dashboards' queries): label matchers, ranges, strings,
// numbers, grouping clauses, functions and keywords are removed; what is left are metric names.
const PROMQL_WORDS = new Set([
  'sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group',
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'histogram_quantile', 'clamp_min', 'clamp_max', 'clamp',
  'vector', 'scalar', 'abs', 'ceil', 'floor', 'round', 'time', 'timestamp', 'label_replace', 'label_join', 'absent',
  'avg_over_time', 'max_over_time', 'min_over_time', 'sum_over_time', 'count_over_time', 'last_over_time', 'resets', 'changes',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset',
]);

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const next = stripped.slice(m.index! + word.length).trimStart()[0];
    if (PROMQL_WORDS.has(word) || next === '(') continue;
    names.add(word);
  }
  return [...names];
}

/** The metric family a sample or series name belongs to (histogram `_bucket`/`_sum`/`_count` → the histogram). */
export function familyCandidates(name: string): string[] {
  const out = [name];
  for (const suffix of ['_bucket', '_sum', '_count']) if (name.endsWith(suffix)) out.push(name.slice(0, -suffix.length));
  return out;
}
