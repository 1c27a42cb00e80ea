// Metrics as k6 keeps them: four types (counter, gauge, rate, trend), sub-metrics selected by tags
// (`http_req_duration{step:balance}`), thresholds on both, and the summary values k6 hands to handleSummary.
import { UnsupportedError } from './unsupported';

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
export type Contains = 'default' | 'time' | 'data';
export type Tags = Record<string, string>;

class Sink {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  last = 0;
  passes = 0;
  values: number[] = [];
  sorted = true;

  constructor(private readonly type: MetricType) {}

  add(v: number) {
    this.count += 1;
    this.last = v;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (this.type === 'rate' && v !== 0) this.passes += 1;
    if (this.type === 'trend') {
      if (this.values.length && v < this.values[this.values.length - 1]!) this.sorted = false;
      this.values.push(v);
    }
  }

  /** Percentile with linear interpolation between the closest ranks (as k6 computes it). */
  percentile(p: number): number {
    if (!this.values.length) return 0;
    if (!this.sorted) {
      this.values.sort((a, b) => a - b);
      this.sorted = true;
    }
    const rank = (p / 100) * (this.values.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return this.values[lo]! + (this.values[hi]! - this.values[lo]!) * (rank - lo);
  }

  /** The value of one statistic, or undefined when the metric type has no such statistic. */
  stat(name: string, elapsedSeconds: number): number | undefined {
    switch (this.type) {
      case 'counter':
        if (name === 'count') return this.sum;
        if (name === 'rate') return elapsedSeconds > 0 ? this.sum / elapsedSeconds : 0;
        return undefined;
      case 'gauge':
        if (name === 'value') return this.count ? this.last : 0;
        if (name === 'min') return this.count ? this.min : 0;
        if (name === 'max') return this.count ? this.max : 0;
        return undefined;
      case 'rate':
        if (name === 'rate') return this.count ? this.passes / this.count : 0;
        if (name === 'passes') return this.passes;
        if (name === 'fails') return this.count - this.passes;
        return undefined;
      case 'trend': {
        if (name === 'avg') return this.count ? this.sum / this.count : 0;
        if (name === 'min') return this.count ? this.min : 0;
        if (name === 'max') return this.count ? this.max : 0;
        if (name === 'med') return this.percentile(50);
        if (name === 'count') return this.count;
        const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(name);
        if (p) return this.percentile(Number(p[1]));
        return undefined;
      }
    }
  }
}

export interface ThresholdDef {
  source: string;
  stat: string;
  op: string;
  bound: number;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
  ok: boolean;
}

const THRESHOLD = /^\s*(avg|min|max|med|count|rate|value|passes|fails|p\(\d+(?:\.\d+)?\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

export function parseThreshold(source: string, abortOnFail = false, delayAbortEvalMs = 0): ThresholdDef {
  const m = THRESHOLD.exec(source);
  if (!m) throw new UnsupportedError(`threshold expression "${source}" (expected e.g. "p(95)<500", "rate<0.01", "count==0")`);
  return { source, stat: m[1]!, op: m[2]!, bound: Number(m[3]), abortOnFail, delayAbortEvalMs, ok: true };
}

function compare(v: number, op: string, bound: number) {
  switch (op) {
    case '<':
      return v < bound;
    case '<=':
      return v <= bound;
    case '>':
      return v > bound;
    case '>=':
      return v >= bound;
    case '==':
    case '===':
      return v === bound;
    default:
      return v !== bound;
  }
}

export class Metric {
  readonly sink: Sink;
  readonly submetrics: Metric[] = [];
  thresholds: ThresholdDef[] = [];

  constructor(
    readonly name: string,
    readonly type: MetricType,
    readonly contains: Contains,
    /** Only for sub-metrics: the tags a sample must carry. */
    readonly filter?: Tags,
  ) {
    this.sink = new Sink(type);
  }

  add(value: number, tags: Tags) {
    this.sink.add(value);
    for (const sub of this.submetrics) {
      if (Object.entries(sub.filter!).every(([k, v]) => tags[k] === v)) sub.sink.add(value);
    }
  }

  values(elapsedSeconds: number, trendStats: string[]): Record<string, number> {
    const names = { counter: ['count', 'rate'], gauge: ['value', 'min', 'max'], rate: ['rate', 'passes', 'fails'], trend: trendStats }[this.type];
    return Object.fromEntries(names.map((n) => [n, this.sink.stat(n, elapsedSeconds) ?? 0]));
  }

  /** Evaluates every threshold; returns the ones that are crossed now. */
  evaluate(elapsedSeconds: number): ThresholdDef[] {
    const crossed: ThresholdDef[] = [];
    for (const t of this.thresholds) {
      const v = this.sink.stat(t.stat, elapsedSeconds);
      if (v === undefined) throw new UnsupportedError(`threshold "${t.source}" on ${this.type} metric "${this.name}" (no statistic "${t.stat}")`);
      t.ok = compare(v, t.op, t.bound);
      if (!t.ok) crossed.push(t);
    }
    return crossed;
  }
}

const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

export class Registry {
  readonly metrics = new Map<string, Metric>();

  get(name: string, type: MetricType, contains: Contains = 'default'): Metric {
    const existing = this.metrics.get(name);
    if (existing) {
      if (existing.type !== type) throw new Error(`metric "${name}" already exists as a ${existing.type}, not a ${type}`);
      return existing;
    }
    if (!NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
    const m = new Metric(name, type, contains);
    this.metrics.set(name, m);
    return m;
  }

  /**
   * `name` or `name{tag:value,...}`. Thresholds on metrics the script never defines are an error in k6, except that the
   * built-in metrics exist before any sample; the caller checks that after the script's init code ran.
   */
  addThresholds(key: string, exprs: Array<string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string }>, parseDuration: (d: string) => number) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key.trim());
    if (!m) throw new UnsupportedError(`threshold key "${key}"`);
    const base = this.metrics.get(m[1]!.trim());
    if (!base) throw new UnsupportedError(`threshold on "${key}": no metric named "${m[1]}" exists`);
    let target = base;
    if (m[2] !== undefined) {
      const filter: Tags = {};
      for (const pair of m[2].split(',')) {
        const i = pair.indexOf(':');
        if (i < 1) throw new UnsupportedError(`threshold key "${key}" (tags must be written {name:value,...})`);
        filter[pair.slice(0, i).trim()] = pair.slice(i + 1).trim().replace(/^["']|["']$/g, '');
      }
      const subName = `${base.name}{${Object.entries(filter).map(([k, v]) => `${k}:${v}`).join(',')}}`;
      let sub = base.submetrics.find((s) => s.name === subName);
      if (!sub) {
        sub = new Metric(subName, base.type, base.contains, filter);
        base.submetrics.push(sub);
      }
      target = sub;
    }
    for (const e of exprs) {
      target.thresholds.push(
        typeof e === 'string' ? parseThreshold(e) : parseThreshold(e.threshold, Boolean(e.abortOnFail), e.delayAbortEval ? parseDuration(e.delayAbortEval) : 0),
      );
    }
  }

  /** Every metric and sub-metric that holds thresholds or samples. */
  all(): Metric[] {
    const out: Metric[] = [];
    for (const m of this.metrics.values()) {
      out.push(m);
      out.push(...m.submetrics);
    }
    return out;
  }
}
