// Activation order: every plugin after the plugins it depends on. Plugins whose dependencies are
// missing, refused or circular are reported with the reason instead of ordered.
export interface Dependent {
  readonly name: string;
  readonly dependsOn?: readonly string[] | undefined;
}

export interface Ordered<T extends Dependent> {
  order: T[];
  refused: { item: T; code: 'PLUGIN_MISSING_DEPENDENCY' | 'PLUGIN_DEPENDENCY_CYCLE'; detail: string }[];
}

export function dependencyOrder<T extends Dependent>(items: readonly T[]): Ordered<T> {
  const byName = new Map(items.map((item) => [item.name, item]));
  const state = new Map<string, 'visiting' | 'done' | 'refused'>();
  const order: T[] = [];
  const refused: Ordered<T>['refused'] = [];

  const visit = (item: T, path: string[]): boolean => {
    const seen = state.get(item.name);
    if (seen === 'done') return true;
    if (seen === 'refused') return false;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(item.name)), item.name];
      for (const name of new Set(cycle)) {
        const member = byName.get(name) as T;
        if (state.get(name) !== 'refused') {
          state.set(name, 'refused');
          refused.push({ item: member, code: 'PLUGIN_DEPENDENCY_CYCLE', detail: cycle.join(' → ') });
        }
      }
      return false;
    }
    state.set(item.name, 'visiting');
    for (const dependency of item.dependsOn ?? []) {
      const target = byName.get(dependency);
      const ok = target ? visit(target, [...path, item.name]) : false;
      if (state.get(item.name) === 'refused') return false;
      if (!ok) {
        state.set(item.name, 'refused');
        refused.push({ item, code: 'PLUGIN_MISSING_DEPENDENCY', detail: `${item.name} needs ${dependency}` });
        return false;
      }
    }
    state.set(item.name, 'done');
    order.push(item);
    return true;
  };

  for (const item of items) visit(item, []);
  return { order, refused };
}
