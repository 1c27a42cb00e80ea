// lint-as: apps/payments/src/lint-fixture.ts
// The payments service calling onboarding's use cases directly: scopes talk through events and HTTP, never imports.
// (An app may import application libs, so only the scope rule refuses this one.)
import { applicationView } from '@krt/onboarding';

export const crossScope = applicationView;
