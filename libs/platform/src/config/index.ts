// @krt/platform/config: the config building blocks. Import from here, not from the files (lint refuses deep imports).
export * from './config';
export * from './paths';
