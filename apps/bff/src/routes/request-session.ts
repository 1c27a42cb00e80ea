// The session the API gate read (and touched) for a request, in the same Redis round trip as its rate limits, so the
// route that needs it does not read it again.
import type { ProbedSession, SessionService } from '@krt/bff';
import type { Context } from 'hono';

const probed = new WeakMap<Request, ProbedSession>();

export const rememberProbedSession = (c: Context, session: ProbedSession) => probed.set(c.req.raw, session);

/** What the gate read for this request, if it did. */
export const probedSession = (c: Context) => probed.get(c.req.raw);

/** `sessions.active` with what the gate read for this request, if it did. */
export const activeSession = (sessions: SessionService, c: Context, id: string | undefined) => sessions.active(id, probed.get(c.req.raw));
