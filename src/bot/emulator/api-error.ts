// How the emulator refuses a Bot API call: Telegram's error_code and description, which the HTTP
// face turns into {ok:false,error_code,description}, exactly as Telegram answers.
export class EmulatorApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

export function badRequest(what: string): EmulatorApiError {
  return new EmulatorApiError(400, `Bad Request: ${what}`);
}

export function forbidden(what: string): EmulatorApiError {
  return new EmulatorApiError(403, `Forbidden: ${what}`);
}
