export interface AppProcess { name: string; entry: string; port?: number }
export declare const APP_PROCESSES: AppProcess[];
export declare const apps: {
  names(): string[];
  startAll(env?: Record<string, string>): Promise<void>;
  stopAll(): Promise<void>;
  status(): Promise<void>;
};
export interface AppInstance { app: AppProcess; index: number; name: string; port?: number }
export declare function envPrefix(name: string): string;
export declare function replicaCount(app: AppProcess, env?: Record<string, string | undefined>): number;
export declare function instancePlan(env?: Record<string, string | undefined>): Map<string, AppInstance[]>;
export declare function instancesOf(app: AppProcess, env?: Record<string, string | undefined>): AppInstance[];
export declare function runningInstances(app: AppProcess): AppInstance[];
export declare function stackEnv(env?: Record<string, string | undefined>): Promise<Record<string, string>>;
export type AppsRuntime = 'source' | 'compiled';
export declare function appsRuntime(env?: Record<string, string | undefined>): AppsRuntime;
export declare function appArgs(entry: string, runtime?: AppsRuntime): string[];
export declare function runtimeOf(name: string): AppsRuntime | undefined;
export declare function startInstance(inst: AppInstance, env?: Record<string, string>, opts?: { runtime?: AppsRuntime }): Promise<number>;
export declare function stopInstance(name: string, opts?: { graceMs?: number }): Promise<boolean>;
export declare function tracesFile(name: string): string;
