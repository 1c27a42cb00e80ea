// Types for the kubeconform helper, used by tests/integration/scale/kubeconform.test.ts.
export interface KubeconformResource { filename: string; kind: string; name: string; version: string; status: string; msg: string }
export interface KubeconformReport { resources?: KubeconformResource[]; summary: { valid: number; invalid: number; errors: number; skipped: number } }
export declare const KUBECONFORM_VERSION: string;
export declare const KUBERNETES_VERSION: string;
export declare const KUBECONFORM_BIN: string;
export declare const SCHEMA_DIR: string;
export declare function ensureKubeconform(): string;
export declare function ensureSchemas(): string;
export declare function schemaFileName(gvk: { group: string; version: string; kind: string }): string;
export declare function validateManifests(paths?: string[]): { status: number; report: KubeconformReport };
