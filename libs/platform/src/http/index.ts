// @krt/platform/http: the http building blocks. Import from here, not from the files (lint refuses deep imports).
export * from './http';
export * from './errors';
export * from './openapi';
export * from './client-ip';
export * from './rate-limit';
export * from './readiness';
export * from './audit-route';
