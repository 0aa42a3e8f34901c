/** Text from data or clients on its way to a terminal, a log or an error answer: no control codes, bounded length. */
import { printable } from '../util/printable.js';

// C0 and C1 control characters (ESC starts terminal escape sequences), DEL; tab is kept
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** A log line with control characters shown as \xNN and at most `max` characters. */
export function safeLogLine(s: string, max = 2000): string {
  const clean = printable(s);
  return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
}

/**
 * An ingest error for an API answer: control characters removed, the file's first line (which the CLI lists as
 * "the file has …" and which may be a data row holding a name or an address) not repeated, and at most `max`
 * characters, so no message ever carries file contents back to the client.
 */
export function safeIngestText(s: string | undefined, max = 300): string | undefined {
  if (s === undefined) return undefined;
  let t = s.replace(CONTROL, ' ').replace(/the file has [^]*?\.(?= [A-Z]|$)/, 'the file\'s first line is not repeated here (it may hold data); open the file to check its header.');
  if (t.length > max) t = `${t.slice(0, max)}…`;
  return t;
}
