// GET /api/v1/events: server-sent events for the signed-in customer only (`pix.status`, `notification`), with
// heartbeats; the stream closes when the session ends.
import { readCookie, type LiveMessage } from '@krt/bff';
import type { AppEnv } from '@krt/platform/http';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ResolvedBffDeps } from '../app';
import { activeSession } from './request-session';

export function eventsRoute(deps: ResolvedBffDeps) {
  const { sessions, hub, cookies, cfg } = deps;
  return async (c: Context<AppEnv>) => {
    const id = readCookie(c.req.header('cookie'), cookies.session);
    const session = await activeSession(sessions, c, id);
    const customerId = session.record.customerId;
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      let closed = false;
      let chain = Promise.resolve();
      const send = (m: LiveMessage) => {
        chain = chain.then(() => (closed ? undefined : stream.writeSSE({ event: m.event, id: m.id, data: JSON.stringify(m.data) }))).catch(() => undefined);
      };
      const unsubscribe = customerId ? hub.subscribe(customerId, send) : () => undefined;
      let wake: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (wake = resolve));
      const finish = () => {
        closed = true;
        wake();
      };
      stream.onAbort(finish);
      const offShutdown = hub.onShutdown(finish);
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ customerId: customerId ?? null }), retry: 3000 });
      const heartbeat = setInterval(async () => {
        // The stream lives only as long as the session: logout or expiry closes it.
        const alive = await sessions.peek(id).catch(() => undefined);
        if (!alive) {
          closed = true;
          wake();
          return;
        }
        chain = chain.then(() => (closed ? undefined : stream.write(': heartbeat\n\n').then(() => undefined))).catch(() => undefined);
      }, cfg.SSE_HEARTBEAT_MS);
      await done;
      clearInterval(heartbeat);
      unsubscribe();
      offShutdown();
      await chain;
    });
  };
}
