import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSubmissionInput, RunBusyError, RunIndex, RUN_STATE_FILE, runSubmitStages, type SubmissionInput } from '../../src/bps/index.js';
import type { Logger } from '../../src/util/index.js';
import { projectRoot } from '../support/cli.js';
import { setupDemoWork, type DemoWork } from '../cli/bps-support.js';

let work: DemoWork;
beforeAll(async () => {
  work = await setupDemoWork();
}, 60_000);

function capture(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk: Buffer, _e, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  return { log: pino({ level: 'info' }, stream) as unknown as Logger, lines };
}

describe('submit stages', () => {
  it('stop after a stage, resume from the artifacts, and log one completion line per stage', async () => {
    const qgCommand = [process.execPath, join(projectRoot, 'dist/cli/qg.js')];
    const input: SubmissionInput = {
      configFile: join(projectRoot, 'bps-configs/demo-clustered.yaml'), cwd: work.dir, submittedAt: '2024-05-06T07:08:09.000Z',
      overrides: { butlerConfig: work.repo, pipelineYaml: join(projectRoot, 'pipelines/demo/DRP-demo.yaml') },
    };
    const first = capture();
    const home = join(work.dir, 'home-stages');
    const a = await runSubmitStages({ input, env: work.env, qgCommand, stopAfter: 'cluster', home, log: first.log });
    expect(a.stages).toEqual(['acquire', 'cluster']);
    expect(a.submitPath).toBe(join(work.dir, 'submit/u/tester/DRP-demo-clustered/20240506T070809Z'));
    expect(existsSync(a.graphFile) && existsSync(join(a.submitPath, `${a.runId}.clustered.json`))).toBe(true);
    expect(a.workflowFile).toBeNull();
    const completions = first.lines.filter((l) => typeof l['durationMs'] === 'number' && typeof l['stage'] === 'string' && String(l['msg']).includes('stage completed'));
    expect(completions.map((l) => l['stage'])).toEqual(['acquire', 'cluster']);
    expect(completions[0]).toMatchObject({ quanta: 88, graph: 'built' });
    expect(completions[1]).toMatchObject({ clusters: 20 });
    const built = statSync(a.graphFile).mtimeMs;

    const second = capture();
    const b = await runSubmitStages({ input: readSubmissionInput(a.submitPath), env: work.env, qgCommand, stopAfter: 'prepare', home, log: second.log });
    expect(b.stages).toEqual(['acquire', 'cluster', 'transform', 'prepare']);
    expect(statSync(b.graphFile).mtimeMs).toBe(built);
    expect(second.lines.find((l) => l['stage'] === 'acquire' && 'durationMs' in l)).toMatchObject({ graph: 'reused' });
    expect(second.lines.find((l) => l['stage'] === 'cluster' && 'durationMs' in l)).toMatchObject({ reused: true });
    expect(existsSync(b.workflowFile!) && existsSync(join(b.submitPath, 'prepared-site.json'))).toBe(true);
    expect(b.runState).toBeNull();

    const launched: [string, number][] = [];
    const c = await runSubmitStages({ input, env: work.env, qgCommand, stopAfter: 'submit', home, log: capture().log, launch: async (s, n) => void launched.push([s, n]) });
    expect(launched).toEqual([[join(c.submitPath, RUN_STATE_FILE), 1]]);
    const index = RunIndex.open(home);
    expect(index.find(c.runId)?.submitPath).toBe(c.submitPath);
    index.close();
    await expect(runSubmitStages({ input, env: work.env, qgCommand, stopAfter: 'submit', home, log: capture().log })).rejects.toThrow(RunBusyError);
  }, 60_000);
});
