// Loaded with `node --import tsx --import ./libs/platform/src/telemetry.register.ts <entry>` so the OpenTelemetry
// SDK and its instrumentation hooks are in place before the app imports pg, ioredis, amqplib or node:http.
// The service name comes from OTEL_SERVICE_NAME (the stack sets it), else from the entry file's path.
// OTEL_SDK_DISABLED=true turns it off.
import path from 'node:path';
import { setTelemetryFlusher } from './telemetry';
import { startTelemetry } from './telemetry-sdk';

function serviceFromEntry(): string {
  const entry = process.argv[1] ?? 'node';
  const parts = entry.split(path.sep);
  const app = parts[parts.indexOf('apps') + 1];
  const file = path.basename(entry).replace(/\.(main\.)?[cm]?[tj]s$/, '').replace(/\.main$/, '');
  return app && file !== 'main' ? `${app}-${file}` : (app ?? file);
}

if (process.env.OTEL_SDK_DISABLED !== 'true') {
  const handle = startTelemetry({ service: process.env.OTEL_SERVICE_NAME ?? serviceFromEntry() });
  setTelemetryFlusher(() => handle.forceFlush());
  process.once('beforeExit', () => void handle.shutdown());
}
