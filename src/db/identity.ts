// A database's identity as others may see it: a short digest of where it lives (the SQLite file's
// absolute path, or the PostgreSQL host and database without the password). /readyz shows it so
// that the CLI can tell whether the server on PORT works on its database, without exposing paths
// or credentials to whoever can reach /readyz.
import { createHash } from 'node:crypto';

export function databaseIdentity(location: string): string {
  return createHash('sha256').update(location).digest('hex').slice(0, 16);
}
