// Types for the Jaeger component, used by tests/integration/observability/jaeger-trace.test.ts.
export declare const JAEGER_VERSION: string;
export declare const JAEGER_OTLP_HTTP_PORT: number;
export declare const JAEGER_QUERY_PORT: number;
export declare const JAEGER_QUERY_GRPC_PORT: number;
export declare const JAEGER_METRICS_PORT: number;
export declare const JAEGER_MAX_TRACES: number;
export declare const JAEGER_OTLP_ENDPOINT: string;
export declare const JAEGER_QUERY_URL: string;
export declare const JAEGER_BIN: string;
export declare function ensureJaeger(): string;
export declare const jaeger: {
  name: string;
  ports: number[];
  pid(): number | undefined;
  healthy(): Promise<boolean>;
  install(): void;
  start(): Promise<void>;
  stop(): Promise<boolean>;
  portTaken(): Promise<boolean>;
};
