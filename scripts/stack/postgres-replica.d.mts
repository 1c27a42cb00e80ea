// Types for the read replica component, used by the scale tests.
import type { StackComponent } from '../stack.mjs';
export declare const PG_REPLICA_PORT: number;
export declare function replicaDatabaseUrl(db: string, user?: string, password?: string): string;
export declare function replicaLagBytes(): number | undefined;
export declare const postgresReplica: StackComponent;
