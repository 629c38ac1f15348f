// `omnicore instances [--json]`: the instances that ran on this database, newest first: live (a
// recent heartbeat), stale (it died without saying so) or stopped, which one leads the scheduled
// work, and how many chats' updates each holds leases on now.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.js';
import { type InstanceSummary, listInstances } from '../db/instance-listing.js';
import { migrateToLatest } from '../db/migrate.js';
import { openCliDatabase } from './server-database.js';
import { UsageError } from './usage.js';

export async function runInstances(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    await migrateToLatest(database);
    const instances = await listInstances(database);
    console.log(values.json ? JSON.stringify(instances, null, 2) : table(instances));
    return 0;
  } finally {
    await database.close();
  }
}

function table(instances: InstanceSummary[]): string {
  if (instances.length === 0) return 'no instance has run on this database yet';
  return instances
    .map((instance) => {
      const role = instance.leader ? ', leader' : '';
      const ended = instance.stoppedAt ? `  stopped ${instance.stoppedAt}` : '';
      return `${instance.id} — ${instance.state}${role}\n    host ${instance.host}  pid ${instance.pid}  version ${instance.version}  url ${instance.url ?? '-'}\n    started ${instance.startedAt}  last seen ${instance.lastSeenAt}${ended}  chat leases ${instance.leases}`;
    })
    .join('\n');
}
