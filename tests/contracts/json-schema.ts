// A small validator for the JSON Schema an OpenAPI 3.1 document holds (what zod's toJSONSchema and @hono/zod-openapi
// emit): $ref into the document, type (or a list of types), nullable (3.0), enum, const, properties, required,
// additionalProperties, items, anyOf, oneOf, allOf, pattern, lengths and bounds. `format` is an annotation here (as in
// JSON Schema 2020-12 by default). Returns the errors, each with the JSON path of the value; none when it validates.
type Schema = Record<string, unknown>;

function resolve(doc: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported: ${ref}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    node = (node as Record<string, unknown> | undefined)?.[part];
    if (node === undefined) throw new Error(`$ref not found in the document: ${ref}`);
  }
  return node as Schema;
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const typeMatches = (v: unknown, t: string) => typeOf(v) === t || (t === 'number' && typeof v === 'number');

export function validate(doc: Schema, schema: Schema | boolean, value: unknown, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  if (typeof schema.$ref === 'string') return validate(doc, resolve(doc, schema.$ref), value, path);
  const errors: string[] = [];
  if (value === null && schema.nullable === true) return [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(value, t))) return [`${path}: expected ${types.join(' | ')}, got ${typeOf(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && schema.const !== value) errors.push(`${path}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items !== undefined) value.forEach((item, i) => errors.push(...validate(doc, schema.items as Schema, item, `${path}[${i}]`)));
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in obj)) errors.push(`${path}.${name}: required, missing`);
    for (const [name, v] of Object.entries(obj)) {
      if (props[name]) errors.push(...validate(doc, props[name]!, v, `${path}.${name}`));
      else if (schema.additionalProperties !== undefined) errors.push(...validate(doc, schema.additionalProperties as Schema | boolean, v, `${path}.${name}`).map((e) => (schema.additionalProperties === false ? `${path}.${name}: not in the schema` : e)));
    }
  }
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf as Schema[]) errors.push(...validate(doc, s, value, path));
  if (Array.isArray(schema.anyOf)) {
    const each = (schema.anyOf as Schema[]).map((s) => validate(doc, s, value, path));
    if (!each.some((e) => e.length === 0)) errors.push(`${path}: matches none of anyOf (${each.map((e) => e[0]).join('; ')})`);
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter((s) => validate(doc, s, value, path).length === 0).length;
    if (passing !== 1) errors.push(`${path}: matches ${passing} of oneOf, not exactly one`);
  }
  return errors;
}

/** The schema of an operation's answer in an OpenAPI document, or undefined when the document has none. */
export function responseSchema(doc: Schema, path: string, method: string, status: number, mediaType = 'application/json'): Schema | undefined {
  const op = ((doc.paths as Record<string, Record<string, Schema>> | undefined)?.[path] ?? {})[method.toLowerCase()];
  const responses = (op?.responses ?? {}) as Record<string, Schema>;
  const res = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  return ((res?.content as Record<string, Schema> | undefined)?.[mediaType]?.schema as Schema | undefined) ?? undefined;
}

/** The document's path template that a concrete path (no query) matches: a literal path wins over a template. */
export function documentedPath(doc: Schema, concrete: string): string | undefined {
  const paths = Object.keys((doc.paths ?? {}) as Record<string, unknown>);
  if (paths.includes(concrete)) return concrete;
  return paths.find((p) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(concrete));
}
