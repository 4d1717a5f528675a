import { customType } from 'drizzle-orm/pg-core';

/** Binary columns (raw mail, attachments) as Buffers on both PGlite (Uint8Array) and node-postgres. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array | string }>({
  dataType() {
    return 'bytea';
  },
  toDriver(value) {
    return value;
  },
  fromDriver(value) {
    if (Buffer.isBuffer(value)) return value;
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    // Text form "\x…" (hex), as a server may return when not parsed.
    return Buffer.from(value.startsWith('\\x') ? value.slice(2) : value, 'hex');
  },
});
