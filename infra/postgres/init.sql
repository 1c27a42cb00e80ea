-- docker-compose only: the same roles and databases scripts/stack/postgres.mjs creates for the local stack.
CREATE ROLE krt LOGIN PASSWORD 'krt';
CREATE ROLE keycloak LOGIN PASSWORD 'keycloak';
CREATE ROLE replicator REPLICATION LOGIN PASSWORD 'replicator';
CREATE DATABASE payments OWNER krt;
CREATE DATABASE onboarding OWNER krt;
CREATE DATABASE notifications OWNER krt;
CREATE DATABASE keycloak OWNER keycloak;
