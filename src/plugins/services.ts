// Services between plugins: an object of methods a plugin provides during setup, used by the
// plugins that list it in `dependsOn`. A dependent gets a handle, not the object: each call looks
// the provider up at that moment, so it reaches the provider's current code after a reload and is
// refused (PLUGIN_SERVICE_STOPPED) while the provider is off, instead of running stopped code.
import { OmniError } from '../errors.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import { PLUGIN_NAME } from './manifest.js';

/** `provide` for the plugin being set up; `settingUp` turns false once its setup returned. */
export function provider(plugin: LoadedPlugin, settingUp: () => boolean) {
  return (name: string, implementation: object): void => {
    const id = `${plugin.definition.name}/${name}`;
    if (!settingUp()) throw new Error(`provide(${id}): services are provided during setup()`);
    if (!PLUGIN_NAME.test(name)) throw new Error(`provide(${id}): a service name is written like a plugin name`);
    if (typeof implementation !== 'object' || implementation === null)
      throw new Error(`provide(${id}): the service must be an object of methods`);
    if (plugin.services.has(name)) throw new Error(`provide(${id}): provided twice`);
    plugin.services.set(name, implementation);
  };
}

/**
 * The handle `consumer` gets for the service `id`. Refused at once when the provider is not among
 * its dependencies (PLUGIN_SERVICE_UNDECLARED) or does not provide it (PLUGIN_SERVICE_MISSING).
 */
export function serviceHandle(
  consumer: LoadedPlugin,
  id: string,
  find: (plugin: string) => LoadedPlugin | undefined,
): object {
  const [providerName = '', service = '', ...rest] = id.split('/');
  const who = consumer.definition.name;
  if (rest.length > 0 || !PLUGIN_NAME.test(providerName) || !PLUGIN_NAME.test(service))
    throw new OmniError('PLUGIN_SERVICE_MISSING', `${who} asked for "${id}"; a service is named "<plugin>/<service>"`);
  if (!consumer.definition.dependsOn?.includes(providerName))
    throw new OmniError('PLUGIN_SERVICE_UNDECLARED', `${who} uses ${id}: add "${providerName}" to its dependsOn`);
  const current = (): object => {
    const implementation = find(providerName)?.services.get(service);
    if (!implementation) {
      const offered = [...(find(providerName)?.services.keys() ?? [])].join(', ') || 'none';
      throw new OmniError(
        'PLUGIN_SERVICE_MISSING',
        `${providerName} does not provide ${service} (it provides: ${offered})`,
      );
    }
    return implementation;
  };
  current();
  const methods = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  // A method is bound late, so that one taken during setup (before anything runs) still works.
  const method =
    (key: PropertyKey) =>
    (...args: unknown[]) => {
      if (!find(providerName)?.active)
        throw new OmniError('PLUGIN_SERVICE_STOPPED', `${id} called by ${who} while ${providerName} is switched off`);
      const implementation = current() as Record<PropertyKey, unknown>;
      const member = implementation[key];
      if (typeof member !== 'function')
        throw new OmniError('PLUGIN_SERVICE_MISSING', `${id} has no method ${String(key)} any more`);
      return member.apply(implementation, args);
    };
  return new Proxy(Object.freeze({}), {
    get(_target, key) {
      const value = (current() as Record<PropertyKey, unknown>)[key];
      if (typeof value !== 'function') return value;
      let bound = methods.get(key);
      if (!bound) {
        bound = method(key);
        methods.set(key, bound);
      }
      return bound;
    },
  });
}
