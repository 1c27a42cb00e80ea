// @krt/platform/persistence: the persistence building blocks. Import from here, not from the files (lint refuses deep imports).
export * from './db';
export * from './migrations';
export * from './redis';
export * from './redis-lock';
export * from './read-your-writes';
export * from './audit';
