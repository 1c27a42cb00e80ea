// A real pino logger whose JSON lines a test can read (no file, no stdout).
import { createLogger, type Logger } from '@krt/platform/telemetry';
import { Writable } from 'node:stream';

export function capturedLogger(service: string, level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { logger: createLogger(service, { level, destination }), lines };
}
