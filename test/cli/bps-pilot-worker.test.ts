import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { makeNoOpGraph } from '../../src/bench/noop-run.js';
import { Butler } from '../../src/butler/index.js';
import { parseRunQbbCommand } from '../../src/cli/bps/pilot-commands.js';
import { writeQuantumGraph } from '../../src/graph/index.js';
import { makeJob } from '../sites/site-fixtures.js';
import { startHarness, type Harness } from '../sites/pilot/coordinator-harness.js';
import { projectRoot } from '../support/cli.js';

const bpsTs = join(projectRoot, 'dist/cli/bps-ts.js');
const qg = join(projectRoot, 'dist/cli/qg.js');

describe('which pilot jobs run qg run-qbb in-process', () => {
  it('recognises qg run-qbb with the options it understands, in every spelling of qg', () => {
    expect(parseRunQbbCommand(['qg', 'run-qbb', 'repo', 'g.qg', '--qgraph-node-id', 'a,b'])).toEqual({ repo: 'repo', graphPath: 'g.qg', ids: ['a,b'], clobber: false });
    expect(parseRunQbbCommand(['/usr/bin/node', '/opt/bps/dist/cli/qg.js', 'run-qbb', '/r', '/g.qg', '--qgraph-node-id', 'a', 'b', '--clobber'])).toEqual({ repo: '/r', graphPath: '/g.qg', ids: ['a', 'b'], clobber: true });
    expect(parseRunQbbCommand(['node', 'qg-bundle.mjs', 'run-qbb', 'r', 'g', '--qgraph-node-id=@/sub/ids.txt'])).toEqual({ repo: 'r', graphPath: 'g', ids: ['@/sub/ids.txt'], clobber: false });
  });

  it('leaves everything else to a process', () => {
    expect(parseRunQbbCommand(['qg', 'pre-exec-init', 'repo', 'g.qg'])).toBeUndefined();
    expect(parseRunQbbCommand(['qg', '--long-log', 'run-qbb', 'repo', 'g.qg', '--qgraph-node-id', 'a'])).toBeUndefined();
    expect(parseRunQbbCommand(['qg', 'run-qbb', 'repo', 'g.qg', '--qgraph-node-id', 'a', '--json'])).toBeUndefined();
    expect(parseRunQbbCommand(['qg', 'run-qbb', 'repo', 'g.qg'])).toBeUndefined();
    expect(parseRunQbbCommand(['python', 'qg.js', 'run-qbb', 'repo', 'g.qg', '--qgraph-node-id', 'a'])).toBeUndefined();
    expect(parseRunQbbCommand(['/bin/myqg', 'run-qbb', 'repo', 'g.qg', '--qgraph-node-id', 'a'])).toBeUndefined();
  });
});

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A repository, a graph of `n` no-op quanta, and one `qg run-qbb` job per quantum. */
async function noOpJobs(n: number): Promise<{ dir: string; repo: string; jobs: ReturnType<typeof makeJob>[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bps-pilot-qbb-'));
  const repo = join(dir, 'repo');
  await (await Butler.create(repo)).close();
  const graph = makeNoOpGraph(1, n, repo);
  writeQuantumGraph(join(dir, 'g.qg'), graph);
  const jobs = graph.quanta.map((q, i) => makeJob({ name: `noop_${i}`, memory: 100, commands: [[process.execPath, qg, 'run-qbb', repo, join(dir, 'g.qg'), '--qgraph-node-id', q.id]] }));
  return { dir, repo, jobs };
}

function journalPids(repo: string): number[] {
  const dir = join(repo, 'bench/noop/run/_quanta/_journal');
  return readdirSync(dir).map((f) => Number(/-(\d+)-[0-9a-f]+\.jsonl$/.exec(f)?.[1]));
}

describe('a pilot worker process running qg run-qbb jobs (dist/ build)', () => {
  it('runs them in its own threads: no process per job, no log file for a quiet job', async () => {
    const { dir, repo, jobs } = await noOpJobs(30);
    harness = await startHarness(jobs, { submitPath: dir, settings: { prefetch: 4 } });
    const recorder = harness.recorder;
    const worker = execa('node', [bpsTs, '_pilot-worker', '--submit-path', dir, '--block', 'b1', '--cpus', '2', '--memory', '4000'], { reject: false, env: { BPS_LOG_LEVEL: 'warn' } });
    await harness.finished(60_000);
    await harness.close();
    harness = undefined;
    expect((await worker).exitCode).toBe(0);
    expect([...recorder.states.values()].filter((s) => s === 'succeeded')).toHaveLength(30);
    expect(new Set(journalPids(repo))).toEqual(new Set([worker.pid]));
    expect(existsSync(join(dir, 'logs'))).toBe(false);
  }, 90_000);

  it('runs them as processes with --processes, each with its log', async () => {
    const { dir, repo, jobs } = await noOpJobs(3);
    harness = await startHarness(jobs, { submitPath: dir });
    const recorder = harness.recorder;
    const worker = execa('node', [bpsTs, '_pilot-worker', '--submit-path', dir, '--block', 'b1', '--cpus', '1', '--memory', '4000', '--processes'], { reject: false, env: { BPS_LOG_LEVEL: 'warn' } });
    await harness.finished(60_000);
    await harness.close();
    harness = undefined;
    await worker;
    expect([...recorder.states.values()]).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(journalPids(repo)).toHaveLength(3);
    expect(journalPids(repo)).not.toContain(worker.pid);
    expect(recorder.started.every((s) => existsSync(s.stdout))).toBe(true);
  }, 90_000);
});
