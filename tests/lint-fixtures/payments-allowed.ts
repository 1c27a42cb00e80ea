// lint-as: apps/payments/src/lint-fixture.ts
// What the payments service may import: its own scope's lib and the shared domain and platform.
import { systemClock } from '@krt/payments';
import { Money } from '@krt/domain';
import { loadConfig } from '@krt/platform/config';

export const allowed = [systemClock, Money, loadConfig];
