// Types for the Alertmanager component, used by tests/integration/observability/prometheus-*.test.ts and the alert fault test.
import type { StackComponent } from '../stack.mjs';
export declare const ALERTMANAGER_PORT: number;
export declare const ALERTMANAGER_URL: string;
export declare function renderAlertmanagerConfig(dir: string): string;
export declare function disableSystemService(unit: string): void;
export declare const alertmanager: StackComponent;
