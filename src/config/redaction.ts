// Secret values learned while the process runs (plugins' secrets, as they are set and read), which
// every logger's redactor masks as well as the ones in force at start. Process-wide on purpose: a
// value that is secret for one part of the process is secret in every line the process writes.

/** Shorter values are not masked: they would mask ordinary words. */
export const MIN_REDACTED_LENGTH = 6;

export class RedactionList {
  private readonly values = new Set<string>();
  private revision = 0;

  add(value: string): void {
    if (value.length < MIN_REDACTED_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    this.revision++;
  }

  /** Changes whenever a value is added: when a redactor must build its pattern again. */
  get version(): number {
    return this.revision;
  }

  list(): string[] {
    return [...this.values];
  }
}

/** The process's list, which createLogger's redactors consult. */
export const runtimeSecrets = new RedactionList();
