// Seals plugins' secrets with AES-256-GCM under the installation's key (DATA_DIR/secrets, made on
// first use). The plugin and the name are the associated data, so a sealed value copied to another
// row does not open; the key's id travels with each value, so one sealed under another key is
// named as such rather than as damage.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { loadOrCreateSecret } from '../../config/secrets.js';
import { OmniError } from '../../errors.js';

export const KEY_FILE = 'plugin-secrets.key';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretCipher {
  seal(plugin: string, name: string, value: string): string;
  /** Throws SECRET_UNREADABLE when `sealed` is not this key's, or not this plugin's and name's. */
  open(plugin: string, name: string, sealed: string): string;
}

/** A cipher whose key is read (or made, mode 0600) from `dataDir` when first needed. */
export function secretCipher(dataDir: string): SecretCipher {
  let key: { bytes: Buffer; id: string } | undefined;
  const current = () => {
    if (!key) {
      const bytes = Buffer.from(loadOrCreateSecret(dataDir, KEY_FILE), 'base64url');
      if (bytes.length !== 32) throw new Error(`secrets/${KEY_FILE} does not hold a 32-byte key`);
      key = { bytes, id: createHash('sha256').update(bytes).digest('hex').slice(0, 8) };
    }
    return key;
  };
  const boundTo = (plugin: string, name: string) => Buffer.from(`${plugin}\0${name}`);

  return {
    seal(plugin, name, value) {
      const { bytes, id } = current();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', bytes, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(boundTo(plugin, name));
      const text = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return [VERSION, id, iv, cipher.getAuthTag(), text]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(plugin, name, sealed) {
      const { bytes, id } = current();
      const unreadable = (why: string) => new OmniError('SECRET_UNREADABLE', `${plugin}'s secret ${name} ${why}`);
      const [version, keyId, iv, tag, text, ...rest] = sealed.split('.');
      if (version !== VERSION || !keyId || iv === undefined || tag === undefined || text === undefined || rest.length) {
        throw unreadable('is not in a form this version reads');
      }
      if (keyId !== id) {
        throw unreadable(
          `was sealed under another key (id ${keyId}; secrets/${KEY_FILE} here has ${id}): set it again, or put back the key it was sealed with`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', bytes, Buffer.from(iv, 'base64url'), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(boundTo(plugin, name));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(text, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw unreadable('does not open: it was sealed for another plugin or name, or altered');
      }
    },
  };
}
