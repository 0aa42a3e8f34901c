import { describe, expect, it } from 'vitest';
import { uploadWording } from '../../src/serve/upload-wording.js';

describe('upload errors name form fields, not CLI flags', () => {
  it('rewrites flags with and without values and marks options only the CLI has', () => {
    expect(uploadWording('give --time-col NAME (date-time) or --date-col NAME [--time-col NAME], or a --preset'))
      .toBe('give timeCol=NAME (date-time) or dateCol=NAME [timeCol=NAME], or a "preset"');
    expect(uploadWording('re-run with --tz Europe/Berlin if …, or ingest it into another --dataset'))
      .toBe('re-run with tz=Europe/Berlin if …, or ingest it into another dataset');
    expect(uploadWording('use --no-header, or --preset stshn-chicago for that format'))
      .toBe('use --no-header, or preset=stshn-chicago for that format (options written --like-this are only on `crimecast ingest`, run on the server)');
    expect(uploadWording(undefined)).toBeUndefined();
  });
});
