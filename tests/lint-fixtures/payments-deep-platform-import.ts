// lint-as: apps/payments/src/lint-fixture.ts
// A service reaching into one file of a platform concern instead of its entry point: refused (deep import), both by
// package path and by relative path.
import { createLogger } from '@krt/platform/telemetry/logger';
import { Errors } from '../../../libs/platform/src/http/errors';

export const deep = [createLogger, Errors];
