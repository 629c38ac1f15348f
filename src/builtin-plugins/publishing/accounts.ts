// The accounts posts go out through: Mastodon accounts (instance URL + access token) and DEV.to API
// keys, from the environment (MASTODON_*, DEVTO_*) or added in the panel. Tokens added in the panel
// are kept in ctx.secrets (encrypted at rest) and never shown back; a token a service refused marks
// its account broken, so later posts fail at once instead of asking the service again.
import type { PluginContext } from '../../plugins/api.js';
import { OmniError } from '../../plugins/api.js';
import type { PublishingConfig } from './config.js';
import { devtoClient } from './devto/client.js';
import type { DevtoClient } from './devto/types.js';
import { mastodonClient } from './mastodon/client.js';
import type { MastodonClient } from './mastodon/types.js';

export type Service = 'mastodon' | 'devto';

export interface Account {
  id: string;
  service: Service;
  /** `@user@instance` or the DEV.to user name. */
  label: string;
  /** The instance's URL, or DEV.to's API root. */
  url: string;
  source: 'env' | 'panel';
  addedAt: number;
  /** Set when the service refused the token; cleared when it is replaced, or accepted again on a retry in the panel. */
  broken?: { at: number; message: string };
}

type Ctx = PluginContext<PublishingConfig, string>;

const KEY = 'accounts';
/** An instance's limits change seldom; a client (and what it read) is renewed this often. */
const CLIENT_TTL_MS = 10 * 60_000;
const secretName = (id: string) => `account:${id}`;

export class Accounts {
  private readonly clients = new Map<string, { client: MastodonClient; token: string; since: number }>();

  constructor(private readonly ctx: Ctx) {}

  /** Every account, those from the environment first. */
  async list(): Promise<Account[]> {
    const stored = (await this.ctx.storage.get<Account[]>(KEY)) ?? [];
    const byId = new Map(stored.map((account) => [account.id, account]));
    const fromEnv = this.envAccounts().map((account) => ({ ...account, ...pick(byId.get(account.id)) }));
    return [...fromEnv, ...stored.filter((account) => account.source === 'panel')];
  }

  async get(id: string): Promise<Account | undefined> {
    return (await this.list()).find((account) => account.id === id);
  }

  /** The first account of a service: where /post and /publish go when no account is named. */
  async first(service: Service): Promise<Account | undefined> {
    return (await this.list()).find((account) => account.service === service);
  }

  /**
   * Checks the credential with the service, then keeps it: a token the service refuses is never
   * stored. Adding an account that exists (same service and user) replaces its token.
   */
  async add(service: Service, input: { url: string; token: string }): Promise<Account> {
    const url = input.url.replace(/\/+$/, '');
    const label =
      service === 'mastodon'
        ? `@${(await mastodonClient({ url, token: input.token }, this.timeouts()).verify()).acct}@${new URL(url).host}`
        : (await devtoClient({ apiRoot: url, apiKey: input.token }, this.timeouts()).me()).username;
    const id = `${service}-${label
      .replace(/^@/, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()}`.slice(0, 40);
    const account: Account = { id, service, label, url, source: 'panel', addedAt: Date.now() };
    await this.ctx.secrets.set(secretName(id), input.token);
    await this.ctx.storage.update<Account[]>(KEY, (accounts = []) => [
      ...accounts.filter((existing) => existing.id !== id),
      account,
    ]);
    return account;
  }

  async remove(id: string): Promise<boolean> {
    let found = false;
    await this.ctx.storage.update<Account[]>(KEY, (accounts = []) => {
      found = accounts.some((account) => account.id === id && account.source === 'panel');
      return accounts.filter((account) => account.id !== id);
    });
    await this.ctx.secrets.delete(secretName(id));
    return found;
  }

  async markBroken(id: string, message: string): Promise<void> {
    await this.setBroken(id, { at: Date.now(), message });
  }

  /**
   * Asks the service again about a broken account's token (an environment token cannot be replaced
   * in the panel, only accepted again): accepted, the account works again; refused, a PublishFailure.
   */
  async recheck(id: string): Promise<void> {
    const account = await this.get(id);
    if (!account?.broken) return;
    if (account.service === 'mastodon') await (await this.mastodon(account)).verify();
    else await (await this.devto(account)).me();
    await this.setBroken(id, undefined);
  }

  /** A client per account, kept a while: it reads the instance's limits once, not for every post. */
  async mastodon(account: Account): Promise<MastodonClient> {
    const token = await this.token(account);
    const kept = this.clients.get(account.id);
    if (kept && kept.token === token && Date.now() - kept.since < CLIENT_TTL_MS) return kept.client;
    const client = mastodonClient({ url: account.url, token }, this.timeouts());
    this.clients.set(account.id, { client, token, since: Date.now() });
    return client;
  }

  async devto(account: Account): Promise<DevtoClient> {
    return devtoClient({ apiRoot: account.url, apiKey: await this.token(account) }, this.timeouts());
  }

  private timeouts(): { timeoutMs: number } {
    return { timeoutMs: this.ctx.config.timeoutSeconds * 1000 };
  }

  private async token(account: Account): Promise<string> {
    const { mastodon, devto } = this.ctx.integrations;
    if (account.id === 'env-mastodon' && mastodon) return mastodon.token;
    if (account.id === 'env-devto' && devto.apiKey) return devto.apiKey;
    const token = await this.ctx.secrets.get(secretName(account.id));
    if (!token) throw new OmniError('OMNI_NOT_FOUND', `the account ${account.id} has no token; add it again`);
    return token;
  }

  private envAccounts(): Account[] {
    const { mastodon, devto } = this.ctx.integrations;
    const accounts: Account[] = [];
    if (mastodon) {
      const host = new URL(mastodon.url).host;
      accounts.push({
        id: 'env-mastodon',
        service: 'mastodon',
        label: host,
        url: mastodon.url,
        source: 'env',
        addedAt: 0,
      });
    }
    if (devto.apiKey) {
      accounts.push({
        id: 'env-devto',
        service: 'devto',
        label: 'DEVTO_API_KEY',
        url: devto.apiRoot,
        source: 'env',
        addedAt: 0,
      });
    }
    return accounts;
  }

  /** Environment accounts keep their state (broken) in storage too, beside the panel's. */
  private async setBroken(id: string, broken: Account['broken']): Promise<void> {
    const known = await this.get(id);
    if (!known) return;
    await this.ctx.storage.update<Account[]>(KEY, (accounts = []) => {
      const others = accounts.filter((account) => account.id !== id);
      const current = accounts.find((account) => account.id === id) ?? known;
      const { broken: _old, ...rest } = current;
      return [...others, broken ? { ...rest, broken } : rest];
    });
  }
}

function pick(stored: Account | undefined): Partial<Account> {
  return stored?.broken ? { broken: stored.broken } : {};
}
