// Who this process is among the instances sharing a database: the host, the process id and a random
// part, since a restarted process may be given the pid of one that died.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
