// The `k6/metrics` module: custom Trend, Counter, Rate and Gauge.
import type { MetricType } from '../metrics';
import { addSample, currentVu, state, vuTags } from '../runtime';
import { strictModule } from '../unsupported';

class CustomMetric {
  constructor(
    readonly name: string,
    private readonly type: MetricType,
    private readonly contains: 'default' | 'time',
  ) {
    if (currentVu().phase !== 'init') throw new Error(`metrics must be created in the init context (as in k6): ${name}`);
    state.registry.get(name, type, contains);
  }

  add(value: number | boolean, tags?: Record<string, string>) {
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
    if (!Number.isFinite(v)) throw new Error(`metric ${this.name}: value ${String(value)} is not a number`);
    addSample(this.name, this.type, v, { ...vuTags(), ...(tags ?? {}) }, this.contains);
  }
}

export class Trend extends CustomMetric {
  constructor(name: string, isTime = false) {
    super(name, 'trend', isTime ? 'time' : 'default');
  }
}
export class Counter extends CustomMetric {
  constructor(name: string) {
    super(name, 'counter', 'default');
  }
}
export class Rate extends CustomMetric {
  constructor(name: string) {
    super(name, 'rate', 'default');
  }
}
export class Gauge extends CustomMetric {
  constructor(name: string) {
    super(name, 'gauge', 'default');
  }
}

export default strictModule('k6/metrics', { Trend, Counter, Rate, Gauge });
