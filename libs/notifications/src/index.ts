// Notifications: Kafka consumer → RabbitMQ → worker (e-mail, SMS, in-app), the notification center, the DLQ tools.
export * from './notification.model';
export * from './notification-templates';
export * from './notifications.config';
export * from './topology';
export * from './customers.repository';
export * from './contact-update';
export * from './deliveries.repository';
export * from './notification-consumer';
export * from './notification-worker';
export * from './notifications.metrics';
export * from './notification-center.repository';
export * from './dlq';
export * from './dead-letters';
export * from './channels/email.sender';
export * from './channels/sms.provider';
