// Opens a backup for verify and restore: unpacks the archive into a scratch folder beside it, and
// refuses it with the reason when it cannot be read, its manifest is missing or invalid, or a part
// is missing or differs in size or SHA-256 from the manifest. Encrypted parts are decrypted there.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { extract } from 'tar';
import { OmniError } from '../../errors.js';
import { archivePath, backupsDir, checkedBackupId } from './backup-files.js';
import type { BackupOptions } from './backup-options.js';
import { describePart, MANIFEST_NAME, type Manifest, type ManifestPart, manifestSchema } from './manifest.js';
import { decryptFile } from './passphrase-cipher.js';

export interface OpenedBackup {
  readonly manifest: Manifest;
  /** The plain (decrypted) file of the part in that role, if the backup has one. */
  partFile(role: ManifestPart['role']): string | undefined;
  dispose(): Promise<void>;
}

function corrupt(reason: string): OmniError {
  return new OmniError('BACKUP_CORRUPT', reason);
}

/** The manifest alone, read from the archive without unpacking the parts. */
export async function readManifest(dataDir: string, id: string): Promise<Manifest> {
  const opened = await openBackup(id, { dataDir, checkParts: false });
  try {
    return opened.manifest;
  } finally {
    await opened.dispose();
  }
}

export async function openBackup(
  id: string,
  options: { dataDir: string; passphrase?: BackupOptions['passphrase']; checkParts?: boolean },
): Promise<OpenedBackup> {
  const file = archivePath(options.dataDir, checkedBackupId(id));
  if (!existsSync(file)) throw new OmniError('BACKUP_NOT_FOUND', id);
  const dir = await mkdtemp(path.join(backupsDir(options.dataDir), `.open-${id}-`));
  // tar may still be writing entries when a damaged archive's extraction has already failed: the
  // removal retries while the folder fills (ENOTEMPTY) instead of failing.
  const dispose = () => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  try {
    const checkParts = options.checkParts ?? true;
    await extract({
      file,
      cwd: dir,
      strict: true,
      ...(checkParts ? {} : { filter: (entry: string) => entry === MANIFEST_NAME }),
    }).catch((error: unknown) => {
      throw corrupt(`the archive cannot be read (${error instanceof Error ? error.message : String(error)})`);
    });
    const manifest = await readManifestFile(path.join(dir, MANIFEST_NAME), id);
    if (checkParts) await checkAndOpenParts(dir, manifest, options.passphrase);
    return {
      manifest,
      partFile: (role) => {
        const part = manifest.parts.find((candidate) => candidate.role === role);
        return part ? path.join(dir, plainName(part.name)) : undefined;
      },
      dispose,
    };
  } catch (error) {
    // What was wrong with the backup is the answer; a scratch folder left behind is not.
    await dispose().catch(() => undefined);
    throw error;
  }
}

async function readManifestFile(file: string, id: string): Promise<Manifest> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw corrupt('the archive has no manifest');
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw corrupt('the manifest is not JSON');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(`the manifest is invalid (${issue?.path.join('.')}: ${issue?.message})`);
  }
  if (parsed.data.id !== id) throw corrupt(`the manifest belongs to backup ${parsed.data.id}`);
  return parsed.data;
}

async function checkAndOpenParts(dir: string, manifest: Manifest, passphrase: string | undefined): Promise<void> {
  for (const part of manifest.parts) {
    if (!existsSync(path.join(dir, part.name))) throw corrupt(`the part ${part.name} is missing`);
    const found = await describePart(dir, part.name, part.role);
    if (found.bytes !== part.bytes) {
      throw corrupt(`the part ${part.name} has ${found.bytes} bytes, the manifest says ${part.bytes}`);
    }
    if (found.sha256 !== part.sha256) throw corrupt(`the SHA-256 of the part ${part.name} differs from the manifest's`);
  }
  if (!manifest.encrypted) return;
  if (!passphrase) {
    throw new OmniError('BACKUP_PASSPHRASE', 'this backup is encrypted: give its passphrase (BACKUP_PASSPHRASE)');
  }
  for (const part of manifest.parts) {
    await decryptFile(path.join(dir, part.name), path.join(dir, plainName(part.name)), passphrase);
    await rm(path.join(dir, part.name));
  }
}

function plainName(name: string): string {
  return name.replace(/\.enc$/, '');
}
