import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { attemptLogPaths, getSitePlugin, isProcessAlive, readProcessStart, SiteError, SITE_PLUGINS } from '../../src/sites/index.js';
import { createSilentLogger } from '../../src/util/index.js';
import { runSiteConformance } from './conformance.js';
import { makeJob, makeSiteConfig, makeWorkflow, MemoryRecorder, nodeCommand } from './site-fixtures.js';

runSiteConformance({ plugin: getSitePlugin('local'), config: () => makeSiteConfig('local', { maxJobs: 2 }) });

describe('local site', () => {
  const log = createSilentLogger();

  it('never runs more jobs at once than maxJobs', async () => {
    const workflow = makeWorkflow([]);
    const stamp = join(workflow.submitPath, 'stamps.txt');
    const record = nodeCommand("const f=require('fs');f.appendFileSync(process.argv[1],'s '+Date.now()+'\\n');setTimeout(()=>f.appendFileSync(process.argv[1],'e '+Date.now()+'\\n'),300)", stamp);
    const jobs = Array.from({ length: 6 }, (_, i) => makeJob({ name: `j_${i}`, commands: [record] }));
    const plugin = getSitePlugin('local');
    const prepared = await plugin.prepare({ workflow: { ...workflow, jobs }, config: makeSiteConfig('local', { maxJobs: 2 }), submitPath: workflow.submitPath, cwd: workflow.submitPath, log });
    expect(prepared.settings['maxJobs']).toBe(2);
    await plugin.submit({ workflow: { ...workflow, jobs }, prepared, recorder: new MemoryRecorder(), log });
    let running = 0;
    let peak = 0;
    const events = readFileSync(stamp, 'utf8').trim().split('\n').map((l) => l.split(' ')).sort((a, b) => Number(a[1]) - Number(b[1]) || (a[0] === 'e' ? -1 : 1));
    for (const [kind] of events) {
      running += kind === 's' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(events).toHaveLength(12);
    expect(peak).toBe(2);
  }, 30_000);

  it('writes later attempts to numbered log files', () => {
    const job = makeJob({ name: 'isr_1', commands: [] });
    expect(attemptLogPaths('/s', job, 1)).toEqual({ stdout: '/s/logs/isr_1/isr_1.out', stderr: '/s/logs/isr_1/isr_1.err' });
    expect(attemptLogPaths('/s', job, 3)).toEqual({ stdout: '/s/logs/isr_1/isr_1.3.out', stderr: '/s/logs/isr_1/isr_1.3.err' });
  });

  it('tells a live process from a dead or reused pid', () => {
    const me = { host: hostname(), pid: process.pid, pidStart: readProcessStart(process.pid) };
    expect(isProcessAlive(me)).toBe(true);
    expect(isProcessAlive({ ...me, pidStart: (me.pidStart ?? 0) + 12345 })).toBe(me.pidStart === null);
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    expect(isProcessAlive({ host: hostname(), pid: Number(dead.stdout.trim()), pidStart: null })).toBe(false);
    expect(isProcessAlive({ host: 'elsewhere.example', pid: process.pid, pidStart: null })).toBeNull();
  });

  it('reports a running attempt whose process is gone as lost', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const ended = await getSitePlugin('local').status({ submitPath: '/tmp', siteRunId: 'local:x:1', running: [
      { job: 'gone', attempt: 2, host: hostname(), pid: Number(dead.stdout.trim()), pidStart: null, siteJobId: null },
      { job: 'me', attempt: 1, host: hostname(), pid: process.pid, pidStart: null, siteJobId: null },
    ] });
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ job: 'gone', attempt: 2, state: 'lost' });
  });

  it('is chosen from a static map and rejects unknown site types with the known ones', () => {
    expect(Object.keys(SITE_PLUGINS)).toContain('local');
    expect(() => getSitePlugin('lsst.ctrl.bps.parsl.ParslService')).toThrow(SiteError);
    const error = (() => {
      try {
        getSitePlugin('nope');
      } catch (e) {
        return e as SiteError;
      }
      return undefined;
    })();
    expect(error?.hint).toContain('local');
  });
});
