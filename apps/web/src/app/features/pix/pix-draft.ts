import type { ResolvedKey } from '@krt/contracts';

/** A PIX ready for confirmation: the key resolved to its (masked) holder, the amount as an API string. */
export interface PixDraft {
  key: string;
  resolved: ResolvedKey;
  amount: string;
  description: string;
  /** "key" or "copia-e-cola": where to go back to. */
  origin: 'key' | 'brcode';
}
