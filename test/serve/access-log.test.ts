import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccessLog } from '../../src/serve/access-log.js';

describe('access log tail', () => {
  it('reads the newest entries from the end of a log larger than its read chunk, multi-byte names intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-access-'));
    try {
      const log = new AccessLog(join(dir, 'serve', 'access.jsonl'));
      for (let i = 0; i < 3000; i++) log.write({ user: `usér-${i}`, role: 'viewer', action: 'hotspots.read', dataset: 'città', records: i, query: { units: 'grid:250', note: '盗窃'.repeat(20) } });
      const tail = log.tail(2500);
      expect(tail).toHaveLength(2500);
      expect(tail.map((e) => e.records)).toEqual(Array.from({ length: 2500 }, (_, k) => 2999 - k));
      expect(tail[0]).toMatchObject({ user: 'usér-2999', dataset: 'città', query: { note: '盗窃'.repeat(20) } });
      expect(log.tail(5000)).toHaveLength(3000);
      expect(new AccessLog(join(dir, 'other', 'none.jsonl')).tail(10)).toEqual([]);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
