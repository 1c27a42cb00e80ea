// @krt/platform/resilience: the resilience building blocks. Import from here, not from the files (lint refuses deep imports).
export * from './resilience';
export * from './deadline';
