import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors/index.js';
import {
  formatSlurmWalltime, readWrapperStatus, renderBatchScript, renderSbatchDirectives, toSlurmSafeName, type BatchJobSpec,
} from '../../../src/sites/slurm/index.js';
import { makeTestDir } from './slurm-cluster.js';

function baseSpec(dir: string, overrides: Partial<BatchJobSpec> = {}): BatchJobSpec {
  return {
    name: 'run1.calibrate.visit_1',
    comment: 'bps-ts:run1',
    cpus: 2,
    memoryMb: 512,
    walltimeSeconds: 3600,
    stdout: join(dir, 'job.out'),
    stderr: join(dir, 'job.err'),
    workDir: dir,
    tasks: [{ commands: [['true']], statusFile: join(dir, 'status.json') }],
    ...overrides,
  };
}

describe('sbatch directives', () => {
  it('renders resources, names, logs and work dir in a stable order', () => {
    const lines = renderSbatchDirectives(baseSpec('/data/run 1', { partition: 'debug', account: 'astro', qos: 'normal', constraint: 'intel&ib' }));
    expect(lines).toEqual([
      '#SBATCH --job-name=run1.calibrate.visit_1',
      '#SBATCH --comment=bps-ts:run1',
      '#SBATCH --nodes=1',
      '#SBATCH --ntasks=1',
      '#SBATCH --cpus-per-task=2',
      '#SBATCH --mem=512M',
      '#SBATCH --time=0-01:00:00',
      '#SBATCH --partition=debug',
      '#SBATCH --account=astro',
      '#SBATCH --qos=normal',
      '#SBATCH --constraint="intel&ib"',
      '#SBATCH --output="/data/run 1/job.out"',
      '#SBATCH --error="/data/run 1/job.err"',
      '#SBATCH --open-mode=append',
      '#SBATCH --chdir="/data/run 1"',
    ]);
  });

  it('maps unsafe name characters to _ and keeps comments filterable', () => {
    expect(toSlurmSafeName('run "x" $(id); `y` a|b,c')).toBe('run__x____id____y__a_b_c');
    const lines = renderSbatchDirectives(baseSpec('/d', { name: "it's $(touch x)", comment: 'run id: 1 2' }));
    expect(lines[0]).toBe('#SBATCH --job-name=it_s___touch_x_');
    expect(lines[1]).toBe('#SBATCH --comment=run_id:_1_2');
  });

  it('escapes quotes, backslashes-free paths and % for sbatch, and turns placeholders into patterns', () => {
    const lines = renderSbatchDirectives(baseSpec('/d', {
      stdout: '/logs/"q" it\'s 50% #1/{arrayJobId}_{arrayTaskId}.out',
      stderr: '/logs/{jobId}.err',
      tasks: [{ commands: [['true']], statusFile: '/s/0.json' }, { commands: [['true']], statusFile: '/s/1.json' }],
      arrayMaxRunning: 4,
    }));
    expect(lines).toContain('#SBATCH --output="/logs/\\"q\\" it\'s 50%% #1/%A_%a.out"');
    expect(lines).toContain('#SBATCH --error="/logs/%j.err"');
    expect(lines).toContain('#SBATCH --array=0-1%4');
  });

  it('formats wall time as D-HH:MM:SS', () => {
    expect(formatSlurmWalltime(1)).toBe('0-00:00:01');
    expect(formatSlurmWalltime(90061)).toBe('1-01:01:01');
  });

  it('rejects values no quoting can carry, naming the field', () => {
    const bad: [Partial<BatchJobSpec>, string][] = [
      [{ stdout: '/a\\b/out' }, 'stdout'],
      [{ stderr: 'relative/err' }, 'stderr'],
      [{ workDir: '/a\nb' }, 'workDir'],
      [{ partition: 'de bug' }, 'partition'],
      [{ cpus: 0 }, 'cpus'],
      [{ memoryMb: 1.5 }, 'memoryMb'],
      [{ env: { 'BAD-NAME': 'x' } }, 'env'],
      [{ tasks: [{ commands: [], statusFile: '/s.json' }] }, 'tasks[0].commands'],
    ];
    for (const [override, field] of bad) {
      const attempt = (): string => renderBatchScript(baseSpec('/d', override));
      expect(attempt).toThrow(InvalidInputError);
      expect(attempt).toThrow(field);
    }
  });
});

/** Runs a rendered script with plain bash (no Slurm: #SBATCH lines are comments there). */
function runLocally(script: string, dir: string, env: Record<string, string> = {}): { status: number | null; signal: NodeJS.Signals | null } {
  const file = join(dir, 'job.sh');
  writeFileSync(file, script);
  const r = spawnSync('bash', [file], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, signal: r.signal };
}

describe('job wrapper (run by plain bash)', () => {
  it('runs hostile argv and env values literally and records the exit code of the failing command', async () => {
    const dir = makeTestDir('wrap');
    const work = join(dir, `work "dir" it's $(touch pwned1)`);
    mkdirSync(work);
    const status = join(work, 'status it\'s.json');
    const script = renderBatchScript(baseSpec(work, {
      env: { BPS_VALUE: "$(touch pwned2) `touch pwned3` 'q' \"d\"" },
      tasks: [{
        commands: [
          ['bash', '-c', 'printf "%s\\n" "$1" "$BPS_VALUE" "$PWD" > out.txt', 'arg0', `$(touch pwned4); it's "x"`],
          ['sh', '-c', 'exit 3'],
          ['touch', join(dir, 'never-reached')],
        ],
        statusFile: status,
      }],
    }));
    expect(runLocally(script, dir).status).toBe(3);
    expect(readFileSync(join(work, 'out.txt'), 'utf8').split('\n').slice(0, 3)).toEqual([
      `$(touch pwned4); it's "x"`,
      "$(touch pwned2) `touch pwned3` 'q' \"d\"",
      work,
    ]);
    for (const n of ['pwned1', 'pwned2', 'pwned3', 'pwned4']) expect([existsSync(join(dir, n)), existsSync(join(work, n))]).toEqual([false, false]);
    expect(existsSync(join(dir, 'never-reached'))).toBe(false);
    const st = await readWrapperStatus(status);
    expect(st).toMatchObject({ phase: 'exited', exitCode: 3, signal: null, arrayTaskId: null });
    expect(st!.endedAt! >= st!.startedAt).toBe(true);
  });

  for (const probe of ['gnu-time', 'python3'] as const) {
    it(`measures peak memory with ${probe}`, async () => {
      const dir = makeTestDir(`mem-${probe}`);
      const status = join(dir, 'status.json');
      // python3 holding ~60 MB: the probe must see at least that.
      const script = renderBatchScript(baseSpec(dir, {
        peakMemoryProbe: probe,
        tasks: [{ commands: [['python3', '-c', 'b = bytearray(60 * 1024 * 1024); b[::4096] = b"x" * len(b[::4096])']], statusFile: status }],
      }));
      expect(runLocally(script, dir).status).toBe(0);
      const st = await readWrapperStatus(status);
      expect(st).toMatchObject({ phase: 'exited', exitCode: 0, peakMemoryProbe: probe });
      expect(st!.peakRssKb!).toBeGreaterThan(60 * 1024);
    });
  }

  it('records null peak memory when told not to measure, and picks a probe by itself in auto mode', async () => {
    const dir = makeTestDir('mem-none');
    const none = join(dir, 'none.json');
    const auto = join(dir, 'auto.json');
    expect(runLocally(renderBatchScript(baseSpec(dir, { peakMemoryProbe: 'none', tasks: [{ commands: [['true']], statusFile: none }] })), dir).status).toBe(0);
    expect(runLocally(renderBatchScript(baseSpec(dir, { tasks: [{ commands: [['true']], statusFile: auto }] })), dir).status).toBe(0);
    expect(await readWrapperStatus(none)).toMatchObject({ peakRssKb: null, peakMemoryProbe: 'none' });
    expect((await readWrapperStatus(auto))?.peakMemoryProbe).toBe('gnu-time');
  });

  it('runs the task of its array index and refuses an index it does not have', async () => {
    const dir = makeTestDir('array');
    const tasks = [0, 1, 2].map((i) => ({ commands: [['sh', '-c', `exit ${i}`]], statusFile: join(dir, `s${i}.json`) }));
    const script = renderBatchScript(baseSpec(dir, { tasks }));
    expect(runLocally(script, dir, { SLURM_ARRAY_TASK_ID: '2', SLURM_JOB_ID: '77' }).status).toBe(2);
    expect(await readWrapperStatus(join(dir, 's2.json'))).toMatchObject({ exitCode: 2, arrayTaskId: 2, slurmJobId: '77' });
    expect(existsSync(join(dir, 's0.json'))).toBe(false);
    expect(runLocally(script, dir, { SLURM_ARRAY_TASK_ID: '5' }).status).toBe(70);
  });

  it('gives each array task its own environment and log files, quoted', async () => {
    const dir = makeTestDir('array-env');
    const odd = `it's $(touch pwned) "x"`;
    const tasks = [0, 1].map((i) => ({
      commands: [['sh', '-c', 'echo "out $BPS_TS_JOB_NAME"; echo "err $BPS_TS_JOB_NAME" >&2']],
      statusFile: join(dir, `s${i}.json`),
      env: { BPS_TS_JOB_NAME: `${odd} ${i}` },
      stdout: join(dir, `task ${i}.out`),
      stderr: join(dir, `task ${i}.err`),
    }));
    const script = renderBatchScript(baseSpec(dir, { tasks }));
    expect(runLocally(script, dir, { SLURM_ARRAY_TASK_ID: '1' }).status).toBe(0);
    expect(readFileSync(join(dir, 'task 1.out'), 'utf8')).toBe(`out ${odd} 1\n`);
    expect(readFileSync(join(dir, 'task 1.err'), 'utf8')).toBe(`err ${odd} 1\n`);
    expect(existsSync(join(dir, 'task 0.out'))).toBe(false);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(() => renderBatchScript(baseSpec(dir, { tasks: [{ ...tasks[0]!, stdout: 'relative.out' }] }))).toThrow(/tasks\[0\]\.stdout/);
  });

  it('writes a signalled status and dies of SIGTERM itself when terminated', async () => {
    const dir = makeTestDir('term');
    const status = join(dir, 'status.json');
    const file = join(dir, 'job.sh');
    writeFileSync(file, renderBatchScript(baseSpec(dir, { peakMemoryProbe: 'none', tasks: [{ commands: [['sleep', '5']], statusFile: status }] })));
    const child = spawn('bash', [file], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    for (let i = 0; i < 100 && (await readWrapperStatus(status))?.phase !== 'running'; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(await readWrapperStatus(status)).toMatchObject({ phase: 'signalled', signal: 'SIGTERM', exitCode: null });
  });
});
