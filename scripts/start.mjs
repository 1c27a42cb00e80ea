#!/usr/bin/env node
// `npm start`: installs what is missing, brings the stack up, starts every app, prints where to open the bank.
import { ensureDependencies } from './ensure-deps.mjs';
import { step } from './stack/common.mjs';

ensureDependencies();
const { up } = await import('./stack.mjs');
const { apps } = await import('./stack/apps.mjs');

try {
  // The web app is built when its build is missing or older than its sources (the BFF serves it from dist/).
  const { buildWeb } = await import('./build.mjs');
  await buildWeb();
  await up();
  await apps.startAll();
  const { seedDemo } = await import('./seed-demo.mjs');
  const demo = await seedDemo();
  step('KRT Bank is running');
  console.log(`
  Open:         http://localhost:5000
  API docs:     http://localhost:5000/api/docs
  Readiness:    http://localhost:5000/ready
  ${demo ? `Demo login:   CPF ${demo.cpf}  password ${demo.password}  transaction PIN ${demo.pin}` : 'Demo login:   (no demo customer yet)'}
  Back office:  http://localhost:5000/operacao — operators operador / Operador@2026 and supervisora / Supervisora@2026
                (role admin; a deposit requested by one is approved by the other)
  Keycloak:     http://localhost:8080 (admin / admin)
  RabbitMQ UI:  http://localhost:15672 (krt / krt)
  E-mails:      http://localhost:8025 (development SMTP catcher)   SMS: .stack/sms/outbox.jsonl
  Metrics:      http://localhost:9090/graph (Prometheus; /classic/targets, /classic/alerts; rules in infra/observability/rules)
  Alerts:       http://localhost:9095 (Alertmanager; alert e-mails land in the SMTP catcher above)
  Traces:       http://localhost:16686/api/traces/<trace id> (Jaeger query API; no web UI in its Go module build)
                node infra/observability/trace-view.mjs <trace id>   (one trace as a tree, from .stack/traces)
  Stop:         npm run stack:down
`);
} catch (e) {
  console.error(`\n[start] FAILED: ${e.message}`);
  process.exit(1);
}
