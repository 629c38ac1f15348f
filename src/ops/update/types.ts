// What the self-update needs from the rest of the platform, handed in by the CLI: a backup to take
// before an update and restore after a failed one, a way to tell the admins, and where it runs.
export interface UpdateBackup {
  create(): Promise<{ id: string }>;
  restore(id: string): Promise<void>;
}

export interface UpdateEnvironment {
  /** The package root: the git checkout whose dist/ the server runs from. */
  installDir: string;
  dataDir: string;
  backup: UpdateBackup;
  /** Where the running server (or the one started for the check) answers, e.g. http://127.0.0.1:3000. */
  serverUrl: string;
  /** The bot runs the built-in emulator: the health check also has it answer /start. */
  emulator: boolean;
  /** Tells the admins that an update failed and was rolled back (or could not be). */
  alert: (message: string) => Promise<void>;
  /** Environment of the commands the update runs (npm ci, build, migrate, start). */
  commandEnv?: NodeJS.ProcessEnv;
  /** How long the new version has to become ready, and then to stay so. */
  readyWithinMs?: number;
  settleMs?: number;
  /** Told of each step as it happens (the CLI prints them). */
  progress?: (line: string) => void;
}
