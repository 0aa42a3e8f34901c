import { describe, expect, it } from 'vitest';
import { printable } from '../../src/util/printable.js';

describe('printable', () => {
  it('shows terminal escape codes and other control characters as \\xNN, and keeps text, tabs and non-ASCII', () => {
    expect(printable('THEFT\u001b[2J\u001b]0;owned\u0007\r\n\u009bX\u007f')).toBe('THEFT\\x1b[2J\\x1b]0;owned\\x07\\x0d\\x0a\\x9bX\\x7f');
    expect(printable('VOL\tDE VÉHICULE — 盗窃')).toBe('VOL\tDE VÉHICULE — 盗窃');
  });
});
