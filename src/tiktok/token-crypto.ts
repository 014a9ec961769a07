import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Shop tokens at rest: AES-256-GCM with a random 96-bit nonce per value, stored as
 * base64(nonce | tag | ciphertext). A wrong key or a tampered value fails to decrypt.
 * During a key rotation the previous key still opens values sealed with it; new values are
 * always sealed with the current key (see `isCurrent`, used to re-seal at start).
 */
export class TokenCrypto {
  private readonly key: Buffer;
  private readonly previous: Buffer | null;

  /** `key`, `previousKey`: 32 bytes, as 64 hex digits or base64. */
  constructor(key: string, previousKey: string | null = null) {
    this.key = keyBytes(key);
    this.previous = previousKey ? keyBytes(previousKey) : null;
  }

  encrypt(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(sealed: string): string {
    try {
      return open(this.key, sealed);
    } catch (error) {
      if (!this.previous) throw error;
      return open(this.previous, sealed);
    }
  }

  /** True when `sealed` was sealed with the current key. */
  isCurrent(sealed: string): boolean {
    try {
      open(this.key, sealed);
      return true;
    } catch {
      return false;
    }
  }
}

function keyBytes(key: string): Buffer {
  const bytes = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
  if (bytes.length !== 32) throw new Error('token encryption key must be 32 bytes');
  return bytes;
}

function open(key: Buffer, sealed: string): string {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
