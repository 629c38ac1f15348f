// Activation order by dependencies, and the specific refusal for a missing dependency or a cycle.
import { describe, expect, it } from 'vitest';
import { dependencyOrder } from '../../src/plugins/order.js';

const names = (items: { name: string }[]): string[] => items.map((item) => item.name);

describe('dependencyOrder', () => {
  it('puts every plugin after what it depends on, deterministically', () => {
    const { order, refused } = dependencyOrder([
      { name: 'shop', dependsOn: ['payments', 'content'] },
      { name: 'content' },
      { name: 'payments', dependsOn: ['ledger'] },
      { name: 'ledger' },
      { name: 'solo' },
    ]);
    expect(names(order)).toEqual(['ledger', 'payments', 'content', 'shop', 'solo']);
    expect(refused).toEqual([]);
  });

  it('refuses a plugin with a missing dependency, and whatever depends on it', () => {
    const { order, refused } = dependencyOrder([
      { name: 'a', dependsOn: ['ghost'] },
      { name: 'b', dependsOn: ['a'] },
      { name: 'c' },
    ]);
    expect(names(order)).toEqual(['c']);
    expect(refused.map(({ item, code, detail }) => [item.name, code, detail])).toEqual([
      ['a', 'PLUGIN_MISSING_DEPENDENCY', 'a needs ghost'],
      ['b', 'PLUGIN_MISSING_DEPENDENCY', 'b needs a'],
    ]);
  });

  it('refuses every member of a cycle with the cycle spelled out, and leaves the rest', () => {
    const { order, refused } = dependencyOrder([
      { name: 'x', dependsOn: ['y'] },
      { name: 'y', dependsOn: ['z'] },
      { name: 'z', dependsOn: ['x'] },
      { name: 'free' },
    ]);
    expect(names(order)).toEqual(['free']);
    expect(refused.map((entry) => entry.code)).toEqual([
      'PLUGIN_DEPENDENCY_CYCLE',
      'PLUGIN_DEPENDENCY_CYCLE',
      'PLUGIN_DEPENDENCY_CYCLE',
    ]);
    expect(refused[0]?.detail).toBe('x → y → z → x');
  });
});
