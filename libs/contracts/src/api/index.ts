// The public API of the BFF as zod schemas (and their types): the BFF's OpenAPI document is generated from them and the
// web app imports their types for its models. Browser-safe: zod only.
export * from './accounts';
export * from './admin';
export * from './customers';
export * from './dashboard';
export * from './money';
export * from './notifications';
export * from './pix';
export * from './problem';
export * from './session';
export * from './wire';
