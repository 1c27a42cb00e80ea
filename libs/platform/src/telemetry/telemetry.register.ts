// Loaded with `node --import tsx --import ./libs/platform/src/telemetry/telemetry.register.ts <entry>` (the local stack) or
// through NODE_OPTIONS (docker-compose.yml), so the OpenTelemetry SDK and its instrumentation hooks are in place
// before the app imports pg, ioredis, amqplib or node:http.
// Service name: OTEL_SERVICE_NAME (the local stack sets it), else derived from the entry file
// (apps/payments/src/main.ts → payments, apps/payments/src/workers/fraud-consumer.main.ts → payments-fraud-consumer),
// and written back to OTEL_SERVICE_NAME so the metrics' `service` label says the same.
// Nothing starts for other node processes (`node -e`, npm/npx, tools) or with OTEL_SDK_DISABLED=true.
// Sampling: OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, parent-based 10 % when unset (telemetry-sdk.ts).
import { setTelemetryFlusher } from './telemetry';
import { serviceFromEntry, startTelemetry } from './telemetry-sdk';

const service = process.env.OTEL_SERVICE_NAME ?? serviceFromEntry(process.argv[1]);

if (service && process.env.OTEL_SDK_DISABLED !== 'true') {
  process.env.OTEL_SERVICE_NAME = service;
  const handle = startTelemetry({ service });
  if (handle.samplingWarning) process.emitWarning(handle.samplingWarning, 'TelemetryWarning');
  setTelemetryFlusher(() => handle.forceFlush());
  process.once('beforeExit', () => void handle.shutdown());
}
