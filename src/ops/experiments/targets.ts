// What may mutate, and nothing else: the settings the catalogue declares mutable (with their set of
// values or their range and step) and the variants plugins register. An experiment's arms are
// checked here against the declaration, so that payment amounts, bans or any undeclared value can
// never be tried on users, whoever asks.
import { type Mutable, type SettingKey, settingsCatalog } from '../../config/settings-catalog.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { OmniError } from '../../errors.js';

export interface TargetInfo {
  /** A setting key, or `plugin:<name>/<variant>`. */
  readonly key: string;
  readonly kind: 'setting' | 'variant';
  readonly description: string;
  /** The values an arm may take. */
  readonly values: readonly unknown[];
  /** What users outside any experiment get now: control's value in the next experiment. */
  readonly current: unknown;
}

/** Variant names are written like plugin names: lower-case letters, digits and dashes. */
const VARIANT_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MAX_VARIANT_ARMS = 8;
/** A plugin that makes up variant names as it goes (a user's text in one) cannot grow this without end. */
const MAX_VARIANTS_PER_PLUGIN = 50;

export function variantKey(plugin: string, name: string): string {
  return `plugin:${plugin}/${name}`;
}

export class Targets {
  private readonly variants = new Map<string, { values: readonly string[]; description: string }>();

  constructor(
    private readonly settings: SettingsStore,
    /** A variant's promoted value, if an experiment promoted one that is still among its arms. */
    private readonly promoted: (key: string) => unknown,
  ) {}

  /**
   * Registers (or registers again, after a reload) a plugin's variant; the first arm is its default.
   * Says whether that changed what was known of it (new, other arms, a description).
   */
  declareVariant(
    plugin: string,
    name: string,
    arms: readonly string[],
    description = '',
  ): { key: string; changed: boolean } {
    const key = variantKey(plugin, name);
    if (!VARIANT_NAME.test(name))
      throw new Error(`experiments: the variant "${name}" must be lower-case letters, digits and dashes`);
    if (
      !Array.isArray(arms) ||
      arms.length < 2 ||
      arms.length > MAX_VARIANT_ARMS ||
      !arms.every((arm) => typeof arm === 'string' && arm.length > 0 && arm.length <= 100) ||
      new Set(arms).size !== arms.length
    ) {
      throw new Error(
        `experiments: the variant "${name}" needs 2–${MAX_VARIANT_ARMS} distinct non-empty strings as arms`,
      );
    }
    const known = this.variants.get(key);
    if (
      !known &&
      [...this.variants.keys()].filter((other) => other.startsWith(`plugin:${plugin}/`)).length >=
        MAX_VARIANTS_PER_PLUGIN
    )
      throw new Error(
        `experiments: ${plugin} has ${MAX_VARIANTS_PER_PLUGIN} variants already; "${name}" is one too many`,
      );
    const changed =
      !known ||
      known.values.join('\u0000') !== arms.join('\u0000') ||
      (description !== '' && known.description !== description);
    if (changed) this.variants.set(key, { values: [...arms], description: description || known?.description || '' });
    return { key, changed };
  }

  /** A variant another process declared (ops/experiments/store.ts), unless this one declared it itself. */
  learnVariant(key: string, arms: unknown, description: string): void {
    const [, plugin, name] = /^plugin:([a-z0-9][a-z0-9-]*)\/(.+)$/.exec(key) ?? [];
    if (!plugin || !name || this.variants.has(key) || !Array.isArray(arms)) return;
    try {
      this.declareVariant(plugin, name, arms as string[], description);
    } catch {
      // A row no server would write (edited by hand): not a target.
    }
  }

  list(): TargetInfo[] {
    const settings = (Object.keys(settingsCatalog) as SettingKey[]).flatMap((key) => {
      const info = this.get(key);
      return info ? [info] : [];
    });
    const variants = [...this.variants.keys()].map((key) => this.get(key) as TargetInfo);
    return [...settings, ...variants];
  }

  get(key: string): TargetInfo | undefined {
    const variant = this.variants.get(key);
    if (variant) {
      const promoted = this.promoted(key);
      const current = variant.values.includes(promoted as string) ? promoted : variant.values[0];
      return { key, kind: 'variant', description: variant.description, values: variant.values, current };
    }
    if (!Object.hasOwn(settingsCatalog, key)) return undefined;
    const definition = settingsCatalog[key as SettingKey] as { description: string; mutable?: Mutable };
    if (!definition.mutable) return undefined;
    return {
      key,
      kind: 'setting',
      description: definition.description,
      values: valuesOf(definition.mutable),
      current: this.settings.get(key as SettingKey),
    };
  }

  /**
   * The arms of a new experiment on `key`: control (the current value) first, then `candidates`,
   * each one of the declared values, none the current one, none twice.
   */
  arms(key: string, candidates: readonly unknown[]): unknown[] {
    const target = this.get(key);
    if (!target) {
      throw new OmniError(
        'EXPERIMENT_NOT_MUTABLE',
        `${key} (mutable: ${this.list()
          .map((info) => info.key)
          .join(', ')})`,
      );
    }
    if (candidates.length < 1 || candidates.length > 3)
      throw new OmniError('EXPERIMENT_INVALID', 'arms: give 1 to 3 values to try against the current one');
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    for (const [index, candidate] of candidates.entries()) {
      if (!target.values.some((value) => same(value, candidate)))
        throw new OmniError(
          'EXPERIMENT_NOT_MUTABLE',
          `${key} may not be ${JSON.stringify(candidate)} (allowed: ${target.values.map((value) => JSON.stringify(value)).join(', ')})`,
        );
      if (same(candidate, target.current))
        throw new OmniError('EXPERIMENT_INVALID', `arms: ${JSON.stringify(candidate)} is the current value (control)`);
      if (candidates.slice(0, index).some((earlier) => same(earlier, candidate)))
        throw new OmniError('EXPERIMENT_INVALID', `arms: ${JSON.stringify(candidate)} is given twice`);
    }
    return [target.current, ...candidates];
  }
}

/** A declaration's values: its set, or its range walked in steps (rounded, so 0.1 + 0.2 stays 0.3). */
function valuesOf(mutable: Mutable): readonly unknown[] {
  if ('values' in mutable) return mutable.values;
  const count = Math.floor((mutable.max - mutable.min) / mutable.step + 1e-9) + 1;
  return Array.from({ length: count }, (_, index) => Number((mutable.min + index * mutable.step).toFixed(10)));
}
