// @krt/platform/messaging: the messaging building blocks. Import from here, not from the files (lint refuses deep imports).
export * from './kafka';
export * from './rabbitmq';
export * from './consumer';
export * from './outbox';
