/** Output conventions shared by every command: with --json, exactly one JSON object on stdout and nothing else. */
export function emit(json: boolean, result: unknown, human: () => string): void {
  if (json) process.stdout.write(JSON.stringify(result, jsonReplacer) + '\n');
  else process.stdout.write(human() + '\n');
}

/** Typed arrays and bigints serialise as plain numbers. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** Diagnostics go to stderr so stdout stays machine-readable. */
export function info(message: string): void {
  process.stderr.write(message + '\n');
}
