// lint-as: apps/web/src/app/lint-fixture.ts
// The browser app importing a Node-only platform file and a Node built-in.
import { loadConfig } from '@krt/platform/config';
import { readFileSync } from 'node:fs';

export const nodeOnly = [loadConfig, readFileSync];
