// @krt/platform/telemetry: the telemetry building blocks. Import from here, not from the files (lint refuses deep imports).
export * from './telemetry';
export * from './telemetry-sdk';
export * from './telemetry-file-exporter';
export * from './metrics';
export * from './logger';
