// lint-as: apps/web/src/app/lint-fixture.ts
// What the browser app may import: the pure domain (and contracts).
import { Money } from '@krt/domain';

export const allowed = Money;
