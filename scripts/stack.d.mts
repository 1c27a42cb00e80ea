// Types for the stack script, used by tests that stop and start real servers.
export interface StackComponent {
  name: string;
  ports: number[];
  pid(): number | undefined;
  healthy(): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<boolean>;
}
export declare const COMPONENTS: StackComponent[];
export declare function up(names?: string[]): Promise<void>;
export declare function down(names?: string[]): Promise<void>;
export declare function status(): Promise<boolean>;
