/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, xorout 0), the checksum
 * of the EMV QR Code / BR Code. Computed over the UTF-8 bytes of `input`
 * (BR Codes are ASCII, where bytes and characters coincide).
 * Check value: crc16CcittFalse('123456789') === 0x29b1.
 */
export function crc16CcittFalse(input: string): number {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(input)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** The CRC as the BR Code writes it: 4 upper-case hex digits. */
export function crc16Hex(input: string): string {
  return crc16CcittFalse(input).toString(16).toUpperCase().padStart(4, '0');
}
