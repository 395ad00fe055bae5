import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors/index.js';
import { parseWrapperStatus, readWrapperStatus } from '../../../src/sites/slurm/index.js';

const GOOD = {
  version: 1, state: 'exited', slurmJobId: '12', arrayTaskId: 3, host: 'node-1', start: '2026-11-21T04:52:12.250Z',
  end: '2026-11-21T04:52:14.000Z', exitCode: 0, signal: null, peakRssKb: 2048, peakMemoryProbe: 'python3',
};

describe('wrapper status files', () => {
  it('parses what the wrapper writes into epoch times and SIG-prefixed signals', () => {
    expect(parseWrapperStatus(JSON.stringify(GOOD), 'x.json')).toEqual({
      phase: 'exited', slurmJobId: '12', arrayTaskId: 3, host: 'node-1', startedAt: Date.UTC(2026, 10, 21, 4, 52, 12, 250),
      endedAt: Date.UTC(2026, 10, 21, 4, 52, 14), exitCode: 0, signal: null, peakRssKb: 2048, peakMemoryProbe: 'python3',
    });
    expect(parseWrapperStatus(JSON.stringify({ ...GOOD, state: 'signalled', exitCode: null, signal: 'TERM' }), 'x.json').signal).toBe('SIGTERM');
  });

  it.each([
    ['not JSON', '{"version":1,', 'is not JSON'],
    ['an array', '[]', 'is not a JSON object'],
    ['a newer version', JSON.stringify({ ...GOOD, version: 2 }), 'unsupported version 2'],
    ['an unknown phase', JSON.stringify({ ...GOOD, state: 'done' }), "invalid 'state'"],
    ['a fractional exit code', JSON.stringify({ ...GOOD, exitCode: 1.5 }), "invalid 'exitCode'"],
    ['a bad time', JSON.stringify({ ...GOOD, start: 'yesterday' }), "invalid 'start'"],
  ])('rejects %s with an error naming the file', (_what, text, message) => {
    const attempt = (): unknown => parseWrapperStatus(text, '/run/status/job 1.json');
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow('/run/status/job 1.json');
  });

  it('reads a missing file as "not started yet"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bps-wrapper-status-'));
    expect(await readWrapperStatus(join(dir, 'missing.json'))).toBeUndefined();
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(GOOD));
    expect((await readWrapperStatus(join(dir, 'ok.json')))?.slurmJobId).toBe('12');
  });
});
