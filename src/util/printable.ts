/**
 * Text from data (categories, dataset names, file names) made safe to print to a terminal or a log: C0/C1 control
 * characters and DEL, which start escape sequences that can rewrite the screen or the title, shown as \xNN.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

export function printable(s: string): string {
  return s.replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
