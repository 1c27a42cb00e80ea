import { describe, expect, it } from 'vitest';
import { parseLsn } from './read-your-writes';

describe('parseLsn', () => {
  it('when two WAL positions are parsed, then they compare as the server orders them', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
    expect(parseLsn('a/1') > parseLsn('9/FFFFFFFF')).toBe(true);
  });

  it('when the text is not an LSN, then it throws', () => {
    expect(() => parseLsn('')).toThrow();
    expect(() => parseLsn('16-B374D848')).toThrow();
    expect(() => parseLsn('123456789/0')).toThrow();
  });
});
