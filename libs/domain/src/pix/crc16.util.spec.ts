import { describe, expect, it } from 'vitest';
import { crc16CcittFalse, crc16Hex } from './crc16.util';

describe('crc16CcittFalse', () => {
  it('matches the standard check value for "123456789"', () => {
    expect(crc16CcittFalse('123456789')).toBe(0x29b1);
    expect(crc16Hex('123456789')).toBe('29B1');
  });

  it('returns the init value for the empty string', () => {
    expect(crc16CcittFalse('')).toBe(0xffff);
  });

  it('reproduces the CRC of the BCB manual example (1D3D)', () => {
    const withoutCrc =
      '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***6304';
    expect(crc16Hex(withoutCrc)).toBe('1D3D');
  });

  it('pads to 4 upper-case hex digits', () => {
    // search a short input whose CRC is below 0x1000 to exercise padding
    let found: string | undefined;
    for (let i = 0; i < 100000 && found === undefined; i++) {
      if (crc16CcittFalse(String(i)) < 0x1000) found = String(i);
    }
    expect(found).toBeDefined();
    const hex = crc16Hex(found ?? '');
    expect(hex).toMatch(/^0[0-9A-F]{3}$/);
  });

  it('detects a single changed character', () => {
    expect(crc16CcittFalse('Fulano de Tal')).not.toBe(crc16CcittFalse('Fulano de Tak'));
  });
});
