// Types for the Prometheus component, used by tests/integration/observability/prometheus-*.test.ts and the alert fault test.
import type { StackComponent } from '../stack.mjs';
export declare const PROMETHEUS_PORT: number;
export declare const PROMETHEUS_URL: string;
export declare const RULES_DIR: string;
export interface TargetGroup { targets: string[]; labels: { app: string; process: string } }
export declare function appTargets(env?: Record<string, string | undefined>): TargetGroup[];
export declare function renderConfig(dir: string, env?: Record<string, string | undefined>): string;
export declare function checkRules(): Promise<boolean>;
export declare const prometheus: StackComponent;
