/** An error caused by the user's input (bad argument, malformed file): the CLI prints its message without a stack. */
export class UserError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UserError';
  }
}
