// One catalogue of the platform's errors, each with a stable code that scripts and tests can rely
// on, a message, and the HTTP status it maps to when it reaches a client. docs/ERRORS.md lists
// every code (a test keeps the two equal). Errors that callers tell apart by class (ConfigError,
// SettingValidationError, AccountExistsError) extend OmniError with a code of their own.
export const errorCatalogue = {
  OMNI_WEBHOOK_UNAUTHORIZED: { status: 401, message: 'missing or wrong X-Telegram-Bot-Api-Secret-Token' },
  OMNI_NOT_AN_UPDATE: { status: 400, message: 'the body is not a Telegram update' },
  OMNI_BAD_REQUEST: { status: 400, message: 'the request is malformed' },
  OMNI_BODY_TOO_LARGE: { status: 413, message: 'the request body is too large' },
  OMNI_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'the body is of a content type this route does not accept' },
  OMNI_FORBIDDEN: { status: 403, message: 'access to this resource is forbidden' },
  /** A client error the catalogue has no code for; it keeps the status it was raised with. */
  OMNI_REQUEST_REFUSED: { status: 400, message: 'the request was refused' },
  OMNI_NOT_FOUND: { status: 404, message: 'no such route' },
  OMNI_SIGNED_OUT: { status: 401, message: 'sign in to the admin panel first' },
  OMNI_CSRF_REJECTED: { status: 403, message: 'missing or wrong CSRF token' },
  OMNI_INVALID_INPUT: { status: 400, message: 'some fields are invalid' },
  OMNI_UNAVAILABLE: { status: 409, message: 'not available in this mode' },
  OMNI_SHUTTING_DOWN: { status: 503, message: 'the server is shutting down; try again shortly' },
  OMNI_STORAGE_UNAVAILABLE: { status: 503, message: 'the update could not be stored; try again' },
  OMNI_UPDATE_DEFERRED: {
    status: 503,
    message: 'an update with this update_id and other content is still being handled; send it again shortly',
  },
  OMNI_TIMEOUT: { status: 503, message: 'the request took too long to answer; try again' },
  OMNI_INTERNAL: { status: 500, message: 'internal error' },
  PLUGIN_LOAD_FAILED: { status: 500, message: 'the plugin could not be loaded' },
  PLUGIN_NO_ENTRY: { status: 400, message: 'the plugin folder has no entry file' },
  PLUGIN_ENTRY_OUTSIDE: { status: 400, message: "the plugin's entry file lies outside its folder" },
  PLUGIN_INVALID_MANIFEST: { status: 400, message: 'the plugin manifest is invalid' },
  PLUGIN_DUPLICATE_NAME: { status: 409, message: 'another plugin already has this name' },
  PLUGIN_INCOMPATIBLE_PLATFORM: { status: 409, message: "the plugin's platform range excludes this OMNICore version" },
  PLUGIN_MISSING_DEPENDENCY: { status: 409, message: 'a plugin this one depends on is missing or refused' },
  PLUGIN_DEPENDENCY_CYCLE: { status: 409, message: 'the plugin is part of a dependency cycle' },
  PLUGIN_DEPENDENCY_DISABLED: { status: 409, message: 'a plugin this one depends on is disabled' },
  PLUGIN_COMMAND_TAKEN: { status: 409, message: 'a command of the plugin is already taken' },
  PLUGIN_INVALID_CONFIG: { status: 400, message: 'the plugin configuration is invalid' },
  PLUGIN_SETUP_FAILED: { status: 500, message: "the plugin's setup failed" },
  PLUGIN_SETUP_TIMEOUT: { status: 500, message: "the plugin's setup did not finish in time" },
  PLUGIN_NOT_FOUND: { status: 404, message: 'no such plugin' },
  AUDIENCE_BAD_SEGMENT: {
    status: 400,
    message: 'not an audience segment',
  },
  BROADCAST_INVALID: { status: 400, message: 'the broadcast cannot be sent as it is' },
  BROADCAST_NOT_FOUND: { status: 404, message: 'no broadcast of that id' },
  BROADCAST_STATE: { status: 409, message: 'the broadcast cannot do that in its present status' },
  PLUGIN_STORAGE_CONFLICT: {
    status: 409,
    message: 'other writers kept changing the stored value; nothing was written',
  },
  PLUGIN_SERVICE_UNDECLARED: { status: 409, message: 'the plugin uses a service of a plugin it does not depend on' },
  PLUGIN_SERVICE_MISSING: { status: 404, message: 'no such service' },
  PLUGIN_SERVICE_STOPPED: { status: 503, message: 'the plugin providing this service is switched off' },
  EXPERIMENT_NOT_MUTABLE: { status: 400, message: 'this is not declared mutable' },
  EXPERIMENT_INVALID: { status: 400, message: 'the experiment is invalid' },
  EXPERIMENT_NOT_FOUND: { status: 404, message: 'no such experiment' },
  EXPERIMENT_STATE: { status: 409, message: 'the experiment cannot do that in its present state' },
  EXPERIMENT_LIMIT: { status: 409, message: 'the experiment would pass a limit of the mutation engine' },
  SEARCH_INVALID_RECORD: { status: 400, message: 'the search record is invalid' },
  SEARCH_INVALID_QUERY: { status: 400, message: 'the search query is invalid' },
  SEARCH_VECTOR_LENGTH: { status: 400, message: "the vector's length differs from the plugin's other vectors" },
  SECRET_INVALID: { status: 400, message: "the secret's name or value is invalid" },
  SECRET_UNREADABLE: { status: 500, message: "the stored secret cannot be opened with this installation's key" },
  BLOB_TOO_LARGE: { status: 413, message: 'the blob is over the size limit' },
  BLOB_CORRUPT: { status: 500, message: 'the stored blob is damaged and was not read' },
  JOB_UNKNOWN_KIND: { status: 400, message: 'no job kind of that name is defined' },
  JOB_TOO_LARGE: { status: 413, message: "the job's JSON is over the size limit" },
  JOB_NOT_JSON: { status: 400, message: 'the value cannot be stored as JSON' },
  FILE_TOO_LARGE: { status: 413, message: 'the file is over the download limit' },
  FILE_DOWNLOAD_FAILED: { status: 502, message: 'the file could not be downloaded from the Bot API' },
  PAYMENT_PRODUCT_UNKNOWN: { status: 404, message: 'no such product' },
  PAYMENT_PRODUCT_INVALID: { status: 400, message: 'the product is invalid' },
  PAYMENT_CURRENCY_UNPRICED: { status: 400, message: 'the product has no price in this currency' },
  PAYMENT_PROVIDER_UNCONFIGURED: { status: 409, message: 'the payment provider is not configured' },
  PAYMENT_PROVIDER_FAILED: { status: 502, message: 'the payment provider did not answer as expected' },
  PAYMENT_NOT_FOUND: { status: 404, message: 'no such payment' },
  PAYMENT_NOT_REFUNDABLE: { status: 409, message: 'the payment cannot be refunded' },
  PAYMENT_WEBHOOK_SIGNATURE: { status: 400, message: 'the payment webhook signature is missing, wrong or too old' },
  PAYMENT_EVENT_INVALID: { status: 400, message: "the payment provider's event is not in the shape expected" },
  FILING_NOT_FOUND: { status: 404, message: 'no such unit in the filing tree' },
  FILING_NOT_ALLOWED: { status: 403, message: 'your role on the unit does not allow this' },
  FILING_CONFLICT: { status: 409, message: 'the filing tree does not allow this change' },
  FILING_INVALID: { status: 400, message: 'invalid unit' },
  FILING_TEMPLATE_INVALID: { status: 400, message: 'the filing template is invalid' },
  SECURITY_ADMIN_NOT_BANNABLE: { status: 409, message: 'bot admins (ADMIN_TELEGRAM_IDS) cannot be banned' },
  UPDATE_NOT_A_CHECKOUT: { status: 409, message: 'the install directory is not a git checkout' },
  UPDATE_LOCAL_CHANGES: { status: 409, message: 'the checkout has local changes; commit or discard them first' },
  UPDATE_IN_PROGRESS: {
    status: 409,
    message: 'another update is unfinished; run `omnicore update check` to recover it',
  },
  UPDATE_UNKNOWN_REF: { status: 404, message: 'the update source has no such ref' },
  UPDATE_SOURCE_FAILED: { status: 502, message: 'the update source could not be read' },
  UPDATE_NO_PREVIOUS: { status: 404, message: 'no earlier good version is recorded in the update history' },
  CONFIG_INVALID: { status: 500, message: 'configuration error' },
  SETTING_INVALID: { status: 400, message: 'invalid setting' },
  ADMIN_EXISTS: { status: 409, message: 'an admin with that name already exists' },
  ADMIN_NOT_FOUND: { status: 404, message: 'no such admin' },
  ADMIN_LAST_ONE: { status: 409, message: 'the last admin cannot be deleted; create another one first' },
  ANOMALY_INVALID_CSV: { status: 400, message: 'the CSV is not a metric series' },
  BACKUP_NOT_FOUND: { status: 404, message: 'no such backup' },
  BACKUP_CORRUPT: { status: 422, message: 'the backup is damaged and was refused' },
  BACKUP_SCHEMA_NEWER: { status: 409, message: 'the backup comes from a newer database schema than this code knows' },
  BACKUP_PASSPHRASE: { status: 400, message: 'the backup passphrase is missing or wrong' },
  BACKUP_TOOL_MISSING: { status: 500, message: 'a program the backup needs is not installed' },
  BACKUP_FAILED: { status: 500, message: 'the backup could not be made' },
  BACKUP_WRONG_DATABASE: { status: 409, message: 'the backup holds another kind of database than the one configured' },
  BACKUP_SERVER_RUNNING: { status: 409, message: 'a server is running on this database; stop it first' },
  INSTANCE_ALREADY_RUNNING: {
    status: 409,
    message: 'another instance runs on this SQLite database (SQLite serves one instance; use PostgreSQL for several)',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class OmniError extends Error {
  override readonly name: string = 'OmniError';
  readonly statusCode: number;
  /** `status` replaces the catalogue's only for OMNI_REQUEST_REFUSED, whose status is the refuser's. */
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    status?: number,
  ) {
    super(detail ? `${errorCatalogue[code].message}: ${detail}` : errorCatalogue[code].message);
    this.statusCode = code === 'OMNI_REQUEST_REFUSED' && status ? status : errorCatalogue[code].status;
  }

  toJSON(): { ok: false; error: { code: ErrorCode; message: string } } {
    return { ok: false, error: { code: this.code, message: this.message } };
  }
}

/**
 * The catalogue's generic code for each client-error status that Fastify, its plugins and the
 * emulator raise (bad JSON, 415 for an unparsed content type, 403 from the static files). Only
 * generic codes: a route-specific one (a CSRF failure, a non-update) would name a cause that did
 * not happen.
 */
const CLIENT_ERRORS: Readonly<Record<number, ErrorCode>> = {
  400: 'OMNI_BAD_REQUEST',
  403: 'OMNI_FORBIDDEN',
  404: 'OMNI_NOT_FOUND',
  413: 'OMNI_BODY_TOO_LARGE',
  415: 'OMNI_UNSUPPORTED_MEDIA_TYPE',
};

/** A 4xx raised outside the catalogue, under its generic code, or OMNI_REQUEST_REFUSED keeping its status. */
export function clientError(status: number, detail?: string): OmniError {
  return new OmniError(CLIENT_ERRORS[status] ?? 'OMNI_REQUEST_REFUSED', detail, status);
}
