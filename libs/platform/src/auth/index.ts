// @krt/platform/auth: the auth building blocks. Import from here, not from the files (lint refuses deep imports).
export * from './auth';
export * from './transaction-pin';
