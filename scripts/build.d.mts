export declare const WEB_DIST: string;
export declare const NODE_DIST: string;
export declare const NODE_ENTRIES: string[];
export declare function compiledEntry(entry: string): string;
export declare function sourceOfCompiled(file: string): string | undefined;
export declare function isStale(stampFile: string, inputs: string[]): boolean;
export declare function precompress(dir: string): { files: number; raw: number; br: number; gz: number };
export declare function buildWeb(opts?: { force?: boolean }): Promise<boolean>;
export declare function buildServices(opts?: { force?: boolean }): Promise<boolean>;
