export interface AppProcess { name: string; entry: string; port?: number }
export declare const APP_PROCESSES: AppProcess[];
export declare const apps: {
  names(): string[];
  startAll(env?: Record<string, string>): Promise<void>;
  stopAll(): Promise<void>;
  status(): Promise<void>;
};
