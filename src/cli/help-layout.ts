/**
 * Help text that fits the terminal: every line within the width (the terminal's columns on a TTY, else $COLUMNS or
 * 100), descriptions wrapped in a column that starts at most TERM_CAP characters in, and a term longer than that
 * (`--time-covariates <file,date=COL[,key=COL][,columns=a;b]>`) on a line of its own with its description below.
 * Commander's own layout aligns every description after the longest term and stops wrapping when that leaves under
 * 40 columns, which gave help lines of 370 characters.
 */
import type { Command, Help } from 'commander';

/** Widest term column; a longer term gets a line of its own. */
export const TERM_CAP = 30;
const INDENT = 2, GAP = 2;

/** Columns to wrap help at for this stream. */
export function helpWidthFor(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY && stream.columns && stream.columns >= 40) return stream.columns;
  const c = Number(env.COLUMNS);
  return Number.isInteger(c) && c >= 40 && c <= 100 ? c : 100;
}

/** One help item (an option, argument or command) laid out in `width` columns. */
export function formatHelpItem(term: string, termWidth: number, description: string, helper: Help, width: number): string {
  const pad = ' '.repeat(INDENT);
  if (!description) return pad + term;
  const col = Math.min(termWidth, TERM_CAP);
  const descStart = INDENT + col + GAP;
  const wrapped = wrapText(description, Math.max(20, width - descStart), (x) => helper.displayWidth(x));
  const under = wrapped.map((l) => ' '.repeat(descStart) + l);
  if (helper.displayWidth(term) > col) return [pad + term, ...under].join('\n');
  return [pad + term.padEnd(col + term.length - helper.displayWidth(term)) + ' '.repeat(GAP) + wrapped[0], ...under.slice(1)].join('\n');
}

/**
 * Greedy word wrap at `width`, keeping the text's own line breaks; a word longer than the width (a unit spec like
 * grid:cell=M,origin=LAT/LON,…) is broken after its commas or bars rather than left to overflow.
 */
export function wrapText(text: string, width: number, displayWidth: (s: string) => number = (s) => s.length): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    // pieces of a broken word join their predecessor without a space
    const pieces: { text: string; glued: boolean }[] = [];
    for (const w of para.split(/\s+/).filter(Boolean)) {
      const parts = displayWidth(w) > width ? w.match(/[^,|]+[,|]?|[,|]/g)! : [w];
      parts.forEach((text, k) => pieces.push({ text, glued: k > 0 }));
    }
    let line = '';
    for (const p of pieces) {
      const joined = line ? line + (p.glued ? '' : ' ') + p.text : p.text;
      if (line && displayWidth(joined) > width) { out.push(line); line = p.text; } else line = joined;
    }
    out.push(line);
  }
  return out;
}

/** Applies the layout to a program; subcommands made afterwards inherit it. */
export function useHelpLayout(program: Command, more: Partial<Help> = {}): Command {
  return program
    .configureHelp({
      ...more,
      formatItem(term: string, termWidth: number, description: string, helper: Help) {
        return formatHelpItem(term, termWidth, description, helper, helper.helpWidth ?? 100);
      },
    })
    .configureOutput({
      getOutHelpWidth: () => helpWidthFor(process.stdout),
      getErrHelpWidth: () => helpWidthFor(process.stderr),
    });
}
