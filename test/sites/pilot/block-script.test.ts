import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/index.js';
import { InvalidInputError } from '../../../src/errors/index.js';
import { readPilotSettings, renderBlockScript, type PilotSiteSettings } from '../../../src/sites/pilot/index.js';
import { makeSiteConfig } from '../site-fixtures.js';

const settings = (extra: Record<string, unknown> = {}): PilotSiteSettings => readPilotSettings(makeSiteConfig('pilot', { coresPerNode: 4, memoryPerNode: 6000, workersPerNode: 2, nodesPerBlock: 3, blockWalltime: '01:30:00', ...extra }));

describe('pilot settings', () => {
  it('reads the block shape and defaults the rest', () => {
    const s = settings();
    expect(s).toMatchObject({ nodesPerBlock: 3, coresPerNode: 4, memoryPerNode: 6000, workersPerNode: 2, blockWalltime: 5400, minBlocks: 0, maxBlocks: 1, initBlocks: 1, listenAddress: '127.0.0.1', advertiseAddress: null, inProcessQbb: true, partition: null });
    expect(s.workerCommand).toEqual([process.execPath, expect.stringMatching(/dist\/cli\/bps-ts\.js$/)]);
    expect(readPilotSettings(makeSiteConfig('pilot', { pilotWorkerCommand: ['/opt/node', '/opt/bps/bps-ts.js'] })).workerCommand).toEqual(['/opt/node', '/opt/bps/bps-ts.js']);
  });

  it('refuses settings that do not fit together, naming the key and the fix', () => {
    expect(() => settings({ minBlocks: 3, maxBlocks: 2 })).toThrow(ConfigError);
    expect(() => settings({ minBlocks: 3, maxBlocks: 2 })).toThrow(/'minBlocks' \(3\) is above maxBlocks \(2\)/);
    expect(() => settings({ workersPerNode: 3 })).toThrow(/'workersPerNode' \(3\) does not divide coresPerNode \(4\)/);
  });
});

describe('pilot block script', () => {
  const base = { blockId: 'b7', runName: `run 'x' $(touch pwned)`, comment: 'bps-ts:run', cwd: '/work/dir with space', submitPath: `/sub/it's "here" $(touch pwned2)`, stdout: '/sub/b7 %j.out', stderr: '/sub/b7.err' };

  it('asks Slurm for the block shape and starts one srun step with the workers', () => {
    const text = renderBlockScript({ ...base, settings: settings({ partition: 'debug', account: 'proj-1', qos: 'normal', constraint: 'intel&ib', workerInit: ['source /opt/setup.sh', 'export X=1'] }) });
    expect(text.split('\n').filter((l) => l.startsWith('#SBATCH'))).toEqual([
      '#SBATCH --job-name=run__x____touch_pwned_.pilot.b7', '#SBATCH --comment=bps-ts:run', '#SBATCH --nodes=3', '#SBATCH --ntasks-per-node=2', '#SBATCH --cpus-per-task=2',
      '#SBATCH --mem=6000M', '#SBATCH --time=0-01:30:00', '#SBATCH --partition=debug', '#SBATCH --account=proj-1', '#SBATCH --qos=normal', '#SBATCH --constraint="intel&ib"',
      '#SBATCH --output="/sub/b7 %%j.out"', '#SBATCH --error="/sub/b7.err"', '#SBATCH --chdir="/work/dir with space"',
    ]);
    expect(text).toContain('source /opt/setup.sh\nexport X=1\n');
    expect(text).toMatch(/exec srun --nodes=3 --ntasks-per-node=2 --cpus-per-task=2 --kill-on-bad-exit=0 .*_pilot-worker/);
  });

  it('hands the worker its arguments exactly, whatever the paths hold, and never runs them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bps-pilot-script-'));
    // A stand-in srun that records its arguments, NUL-separated.
    writeFileSync(join(dir, 'srun'), `#!/bin/sh\nprintf '%s\\0' "$@" > ${join(dir, 'argv')}\n`);
    chmodSync(join(dir, 'srun'), 0o755);
    const script = join(dir, 'block.sh');
    writeFileSync(script, renderBlockScript({ ...base, cwd: dir, settings: settings({ pilotWorkerCommand: ['/opt/my node', 'bps-ts.js'], inProcessQbb: false }) }));
    const before = Date.now();
    await execa('bash', [script], { cwd: dir, env: { PATH: `${dir}:${process.env['PATH'] ?? ''}` } });
    const argv = readFileSync(join(dir, 'argv'), 'utf8').split('\0').slice(0, -1);
    expect(argv.slice(0, 4)).toEqual(['--nodes=3', '--ntasks-per-node=2', '--cpus-per-task=2', '--kill-on-bad-exit=0']);
    expect(argv.slice(4, -2)).toEqual(['/opt/my node', 'bps-ts.js', '_pilot-worker', '--submit-path', base.submitPath, '--block', 'b7', '--cpus', '2', '--memory', '3000', '--processes']);
    expect(argv.at(-2)).toBe('--ends-at');
    const endsAt = Number(argv.at(-1));
    expect(endsAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 5400_000);
    expect(endsAt).toBeLessThan(before + 5400_000 + 5000);
    expect(readFileSync(join(dir, 'argv'), 'utf8')).not.toContain('pwned\0');
  });

  it('refuses values no #SBATCH line can carry', () => {
    expect(() => renderBlockScript({ ...base, settings: settings({ partition: 'a b' }) })).toThrow(InvalidInputError);
    expect(() => renderBlockScript({ ...base, stdout: 'relative.out', settings: settings() })).toThrow(/stdout "relative.out" is not an absolute path/);
    expect(() => renderBlockScript({ ...base, cwd: '/a\nb', settings: settings() })).toThrow(/line break/);
  });
});
