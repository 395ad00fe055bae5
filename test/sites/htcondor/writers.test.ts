import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatDag,
  formatFinalPostScript,
  formatRequestMemoryExpression,
  formatSubmitDescription,
  makeNodeNames,
  makeSubmitFilePath,
  parseSubmitArguments,
  expandDollarMacros,
  writeHtcondorFiles,
} from '../../../src/sites/htcondor/index.js';
import { corpusDir, diffLines, fixturesDir, makeDemoWorkflow, makeJob, makeWorkflow } from './htcondor-test-support.js';

const goldenDir = resolve(fixturesDir, 'golden');
const demo = makeDemoWorkflow('/submit/with space/demo_run');
const tmp = mkdtempSync(join(tmpdir(), 'bps htcondor writers '));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every generated text of the demo workflow, by path relative to the submit directory. */
function generateDemo(): Map<string, string> {
  const files = new Map<string, string>([['demo_run.dag', formatDag({ workflow: demo, categoryLimits: { db_limit: 2 }, priorities: { calibrate: 10 } })]]);
  for (const job of demo.jobs) files.set(makeSubmitFilePath(job), formatSubmitDescription({ workflow: demo, job, environment: { BPS_RUN: 'demo run', OMP_NUM_THREADS: '1' } }));
  files.set('final_post.sh', formatFinalPostScript());
  return files;
}

describe('golden files of the demo workflow', () => {
  const generated = generateDemo();
  if (process.env.UPDATE_GOLDEN === '1') {
    for (const [rel, text] of generated) {
      mkdirSync(dirname(join(goldenDir, rel)), { recursive: true });
      writeFileSync(join(goldenDir, rel), text);
    }
  }

  for (const [rel, text] of generated) {
    it(`writes ${rel} exactly as committed`, () => {
      const golden = join(goldenDir, rel);
      expect(existsSync(golden), `missing golden file ${golden}; run with UPDATE_GOLDEN=1 after checking the output`).toBe(true);
      expect(diffLines(readFileSync(golden, 'utf8'), text)).toEqual([]);
    });
  }

  it('reports the exact lines that differ', () => {
    expect(diffLines('a\nb\nc', 'a\nB\nc\nd')).toEqual(['line 2:\n  - b\n  + B', 'line 4:\n  - <missing>\n  + d']);
  });
});

describe('DAG writer', () => {
  const dag = formatDag({ workflow: demo, categoryLimits: { db_limit: 2 } });

  it('declares every job once, the final one as FINAL with its POST script', () => {
    expect(dag.match(/^JOB /gm)).toHaveLength(5);
    expect(dag).toMatch(/^FINAL finalJob "jobs\/finalJob\/finalJob.sub"$/m);
    expect(dag).toMatch(/^SCRIPT POST finalJob \.\/final_post\.sh finalJob \$DAG_STATUS \$RETURN$/m);
    expect(dag).not.toMatch(/CHILD finalJob/);
  });

  it('makes node names DAGMan accepts and keeps them unique', () => {
    const names = makeNodeNames([{ name: 'a.b' }, { name: 'a_b' }, { name: 'PARENT' }, { name: 'x+y' }]);
    expect([...names.values()]).toEqual(['a_b', 'a_b_2', 'PARENT_node', 'x_y']);
    expect(dag).toMatch(/^JOB calibrate_903342_10 /m);
    expect(dag).toMatch(/^VARS calibrate_903342_10 bps_job_name="calibrate_903342\.10"$/m);
  });

  it('throttles the concurrency limit as a category and writes the monitoring files', () => {
    expect(dag).toMatch(/^CATEGORY isr_903342_10 db_limit$/m);
    expect(dag).toMatch(/^MAXJOBS db_limit 2$/m);
    for (const l of ['DOT demo_run.dot', 'NODE_STATUS_FILE demo_run.node_status', 'JOBSTATE_LOG demo_run.jobstate.log']) expect(dag).toContain(l);
  });

  it('writes DAG retries with UNLESS-EXIT only in dag retry mode', () => {
    const one = makeWorkflow('r', '/s', [makeJob('a', { commands: [['/bin/true']], resources: { ...demo.jobs[0]!.resources, numberOfRetries: 3, retryUnlessExit: [2] } })]);
    expect(formatDag({ workflow: one, retryMode: 'dag' })).toMatch(/^RETRY a 3 UNLESS-EXIT 2$/m);
    expect(formatDag({ workflow: one })).not.toMatch(/^RETRY/m);
  });

  it('refuses two final jobs', () => {
    const two = makeWorkflow('r', '/s', [makeJob('f1', { runAlways: true, commands: [['/bin/true']] }), makeJob('f2', { runAlways: true, commands: [['/bin/true']] })]);
    expect(() => formatDag({ workflow: two })).toThrow(/2 run-always jobs \(f1, f2\)/);
  });

  it('keeps the parts of the reference plugin DAG files it shares with them', () => {
    // Reference DAG files (corpus): quoted submit paths, SET_JOB_ATTR bps_* attributes, FINAL + SCRIPT POST.
    const ref = readFileSync(join(corpusDir, 'tests/data/tiny_success/tiny_success.dag'), 'utf8');
    expect(ref).toMatch(/^JOB pipetaskInit "jobs\/pipetaskInit\/pipetaskInit.sub"$/m);
    expect(dag).toMatch(/^JOB pipetaskInit "jobs\/pipetaskInit\/pipetaskInit.sub"$/m);
    const attrs = (text: string): string[] => [...text.matchAll(/^SET_JOB_ATTR (\w+)\s*=/gm)].map((m) => m[1]!).filter((a) => a !== 'bps_provisioning_job' && a !== 'bps_wms_workflow');
    expect(attrs(dag).sort()).toEqual(attrs(ref).sort());
  });
});

describe('submit writer', () => {
  const byName = (name: string) => demo.jobs.find((j) => j.name === name)!;

  it('quotes arguments so the path with spaces and the hostile values come back', () => {
    const sub = formatSubmitDescription({ workflow: demo, job: byName('isr_903342_11') });
    const args = /^arguments = (.*)$/m.exec(sub)![1]!;
    expect(parseSubmitArguments(expandDollarMacros(args))).toEqual(['qg', 'run-qbb', '/data/my repo', '/submit/with space/demo_run/demo_run.qg', '--qgraph-node-id', 'q-2', '--extra', 'say "hi" to $HOME']);
    expect(sub).toMatch(/^executable = \/usr\/bin\/env$/m);
  });

  it('grows memory after memory holds with the reference scheme, capped by requestMemoryMax', () => {
    const sub = formatSubmitDescription({ workflow: demo, job: byName('calibrate_903342.10') });
    expect(sub).toContain(`request_memory = ${formatRequestMemoryExpression({ requestMemory: 4096, multiplier: 2, limit: 65536 })}`);
    expect(sub).toMatch(/^periodic_release = JobStatus == 5 && NumJobStarts <= JobMaxRetries && .*min\(\{int\(4096 \* pow\(2, NumJobStarts - 1\)\), 65536\}\) < 65536$/m);
    expect(sub).toMatch(/^max_retries = 5$/m);
  });

  it('stops retries on the never-retry exit codes', () => {
    const sub = formatSubmitDescription({ workflow: demo, job: byName('characterizeImage_903342_10') });
    expect(sub).toMatch(/^retry_until = member\(ExitCode, \{3, 4\}\)$/m);
    expect(sub).not.toMatch(/^periodic_release/m);
  });

  it('runs several commands through the shell, stopping at the first failure', () => {
    const sub = formatSubmitDescription({ workflow: demo, job: byName('finalJob') });
    const args = parseSubmitArguments(expandDollarMacros(/^arguments = (.*)$/m.exec(sub)![1]!));
    expect(args[0]).toBe('-c');
    expect(args[1]).toBe(`qg aggregate-graph '/submit/with space/demo_run/demo_run.qg' '/data/my repo' && /bin/echo 'it'\\''s done'`);
  });

  it('refuses log paths that leave the submit directory', () => {
    const bad = makeJob('evil', { commands: [['/bin/true']], stdout: '../../etc/x.out' });
    expect(() => formatSubmitDescription({ workflow: makeWorkflow('w', '/s', [bad]), job: bad })).toThrow(/leaves the submit directory/);
  });

  it('refuses memory scaling without any limit', () => {
    const job = makeJob('m', { commands: [['/bin/true']], resources: { ...demo.jobs[0]!.resources, memoryMultiplier: 2 } });
    expect(formatSubmitDescription({ workflow: makeWorkflow('w', '/s', [job]), job })).toContain('491520');
  });
});

describe('writing the files of a run', () => {
  it('writes DAG, submit files, POST script and log directories under a path with spaces', async () => {
    const submitPath = join(tmp, 'submit dir', 'demo_run');
    const workflow = makeDemoWorkflow(submitPath);
    const written = await writeHtcondorFiles({ workflow, categoryLimits: { db_limit: 1 } });
    expect(written.dagFile).toBe(join(submitPath, 'demo_run.dag'));
    expect(written.files).toHaveLength(1 + workflow.jobs.length + 1);
    for (const f of written.files) expect(existsSync(f), f).toBe(true);
    expect(statSync(join(submitPath, 'final_post.sh')).mode & 0o111).not.toBe(0);
    expect(existsSync(join(submitPath, 'logs', 'calibrate'))).toBe(true);
  });
});
