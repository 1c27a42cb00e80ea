// Schema-driven hostile input: fast-check arbitraries built from the merged OpenAPI document the BFF serves, and the
// one oracle every answer must pass (no 5xx, no stack trace or file path, errors in the documented problem shape).
import fc from 'fast-check';

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}
export interface Operation {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  example?: unknown;
  format?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

export interface Endpoint {
  method: string;
  path: string;
  op: Operation;
}

export function endpoints(doc: OpenApiDoc): Endpoint[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

export function resolve(doc: OpenApiDoc, s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  const name = s.$ref.split('/').pop()!;
  return resolve(doc, doc.components?.schemas?.[name]);
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

const PAYLOADS = [
  "' OR '1'='1",
  "1'; DROP TABLE accounts; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(document.cookie)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000',
  '\u0000\u0001\u0002\u001b[31m',
  '\r\nSet-Cookie: x=1',
  '\u202eevil',
  '\ud800',
  '𝕂𝕉𝕋 🏦💸 ação çãõ',
  'ﷺ'.repeat(50),
  '${7*7}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '{"$ne":null}',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '',
  ' ',
];

const AMOUNTS = ['1.234', '0.001', '-5.00', '-0.01', '0.00', '0', '1e3', '1E-2', '999999999999999999999.99', '92233720368547758.07', '1,50', ' 1.00', '1.00 ', '+1.00', '.50', '1.', '0x10', '١٢٣.٤٥', '１.００', 'R$ 10,00', '10.00; DROP TABLE pix_transfers'];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 2, arbitrary: fc.constantFrom(...AMOUNTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('A'.repeat(5000), '9'.repeat(300), 'é'.repeat(2000)) },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, 0.001, 1.234, 10.005, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'a', '$where'), hostileString, { maxKeys: 2 }) },
);

/** A plausible value for a schema (so that some fields pass validation and the hostile one reaches deeper code). */
function plausible(doc: OpenApiDoc, schema: Schema | undefined): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if (!s) return fc.constant('x');
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if (s.example !== undefined) return fc.constant(s.example);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' && s.properties) return bodyFor(doc, s);
  if (type === 'boolean') return fc.boolean();
  if (type === 'integer' || type === 'number') return fc.integer({ min: 0, max: 100 });
  if (s.format === 'uuid') return fc.uuid();
  return fc.constantFrom('10.00', 'abc', 'Teste');
}

/** A JSON body for an object schema: every field plausible or hostile, sometimes missing, sometimes an extra key. */
export function bodyFor(doc: OpenApiDoc, schema: Schema | undefined): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const props = s?.properties ?? {};
  const record = fc.record(
    Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fc.oneof(plausible(doc, v), hostileValue)])),
    { requiredKeys: [] },
  );
  const withExtra = fc.tuple(record, fc.option(fc.tuple(hostileString, hostileValue), { nil: undefined })).map(([r, extra]) => (extra ? { ...r, [extra[0].slice(0, 50) || 'x']: extra[1] } : r));
  return fc.oneof({ weight: 6, arbitrary: withExtra }, { weight: 1, arbitrary: hostileValue });
}

// ---------------------------------------------------------------------------------------------------------------
// The oracle

const STACK_FRAME = /\n\s+at\s|\bat\s+[\w.<>]+\s+\((?:file:|\/|node:)/;
const FILE_PATH = /(?:\/work\/|\/home\/|node_modules|\.ts:\d+|\.js:\d+|\.mjs:\d+|file:\/\/)/;

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Returns what is wrong with an answer to hostile input (empty when it is acceptable). */
export function judge(a: Answer): string[] {
  const problems: string[] = [];
  if (a.status >= 500) problems.push(`status ${a.status}`);
  if (STACK_FRAME.test(a.text)) problems.push('a stack trace in the body');
  if (FILE_PATH.test(a.text)) problems.push('a source path in the body');
  if (a.status >= 400 && a.text) {
    if (!a.contentType.startsWith('application/problem+json')) problems.push(`error with content-type ${a.contentType || '(none)'}`);
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(a.text) as Record<string, unknown>;
    } catch {
      problems.push('error body is not JSON');
    }
    if (body) {
      for (const k of ['type', 'title', 'status', 'code', 'message']) if (!(k in body)) problems.push(`error without "${k}"`);
      if (body.status !== undefined && body.status !== a.status) problems.push(`problem status ${String(body.status)} ≠ HTTP ${a.status}`);
      if (typeof body.code === 'string' && !/^[A-Z][A-Z0-9_]*$/.test(body.code)) problems.push(`code "${body.code}" is not machine-readable`);
    }
  }
  return problems;
}

/** Percent-encodes anything, lone surrogates included (encodeURIComponent throws on those). */
export function encodeAny(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

/**
 * Sends raw bytes over TCP and returns the status code the server answered (and the raw answer). Used for inputs a
 * well-behaved client library refuses or trips over (a server may answer and close while the upload is still going).
 */
export async function rawHttp(port: number, head: string, body: Buffer | string = ''): Promise<{ status: number | undefined; raw: string; timedOut: boolean }> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    let raw = '';
    let timedOut = false;
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = () => {
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]) || undefined, raw, timedOut });
    };
    // The server keeping the connection open after its answer shows as timedOut.
    socket.setTimeout(10_000, () => {
      timedOut = true;
      done();
    });
    socket.on('data', (d) => (raw += d.toString('latin1')));
    socket.on('error', done); // EPIPE/ECONNRESET after the server answered and closed: keep what was read
    socket.on('close', done);
    socket.write(head);
    if (body.length) socket.write(body);
  });
}
