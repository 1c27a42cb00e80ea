// Integration tests run against the real local stack: make sure it is up (a no-op when `npm test` already started it).
import { up } from '../../scripts/stack.mjs';
import { apps } from '../../scripts/stack/apps.mjs';

export default async function setup() {
  await up();
  await apps.startAll();
}
