/** An error the API answers with its status and message (and a hint on how to fix the request). */
export class HttpError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503, message: string, readonly hint?: string) {
    super(message);
    this.name = 'HttpError';
  }
}
