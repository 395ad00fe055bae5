import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigObject } from '../../src/pipeline/index.js';
import {
  expandArguments, getBuiltinTask, TaskFailedError, TaskInputError, type InputDataset, type OutputRef, type TaskContext,
} from '../../src/tasks/index.js';

let dir: string;
let script: string;
const lines: { msg: string; stream?: string }[] = [];

const logger = pino({ level: 'info' }, new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as { msg: string });
    done();
  },
}));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tasks-command-'));
  // A stand-in for a science program: prints each argument on its own line, appends the list file, writes -o.
  script = path.join(dir, 'fake-science.sh');
  await writeFile(script, [
    '#!/bin/sh',
    'out=""; list=""',
    'for a in "$@"; do printf "%s\\n" "$a" >> "$ARGLOG"; done',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in -o) out="$2"; shift ;; --list) list="$2"; shift ;; --fail) echo "reading input" >&2; echo "fatal: bad pixel data" >&2; exit 3 ;; esac',
    '  shift',
    'done',
    'echo "processed $(wc -l < "$list") inputs"',
    '[ -n "$out" ] && { cat "$ARGLOG"; echo "--- list"; cat "$list"; } > "$out"',
    'exit 0',
    '',
  ].join('\n'));
  await chmod(script, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const calexps: InputDataset[] = [0, 1].map((detector) => ({
  dataId: { instrument: 'DemoCam', visit: 100, detector, band: 'i' },
  datasetType: 'calexp',
  storageClass: 'ExposureF',
  path: `/data/calexp/calexp_100_${detector}.fits`,
  value: undefined,
}));

function context(name: string, config: ConfigObject, dataId: Record<string, string | number> = { tract: 0, patch: 3, visit: 100, band: 'i' }): TaskContext & { outputs: Record<string, OutputRef> } {
  return {
    label: name,
    config: { executable: script, env: { ARGLOG: path.join(dir, `${name}.args`) }, ...config },
    dataId,
    inputs: { calexps },
    outputs: { warp: { dataId, datasetType: 'deepCoadd_directWarp', storageClass: 'ExposureF', path: path.join(dir, `${name}.out`) } },
    log: logger,
    workDir: path.join(dir, name),
  };
}

const baseArgs = ['--visit', '{visit}', '--band', '{band}', '--list', '{listfile:inputs}', '-o', '{output:warp}'];
const listFiles = { inputs: { connection: 'calexps', columns: ['path', 'visit', 'detector', 'band'] } };

describe('command task', () => {
  it('fills the argument template, writes the list file, repeats per-file arguments and returns the output path', async () => {
    const ctx = context('ok', { args: baseArgs, listFiles, perFileArgs: [{ connection: 'calexps', args: ['-i', '{path}'] }] });
    const outputs = await getBuiltinTask('bps_ts.tasks.CommandTask').run(ctx);
    expect(outputs['warp']).toEqual({ dataId: ctx.dataId, path: ctx.outputs.warp!.path });
    const written = (await readFile(ctx.outputs.warp!.path!, 'utf8')).split('\n');
    const listFile = path.join(dir, 'ok', 'ok-inputs.list');
    expect(written.slice(0, 12)).toEqual([
      '--visit', '100', '--band', 'i', '--list', listFile, '-o', ctx.outputs.warp!.path,
      '-i', '/data/calexp/calexp_100_0.fits', '-i', '/data/calexp/calexp_100_1.fits',
    ]);
    expect(written.slice(13, 15)).toEqual(['/data/calexp/calexp_100_0.fits 100 0 i', '/data/calexp/calexp_100_1.fits 100 1 i']);
    expect(lines.some((l) => l.stream === 'stdout' && l.msg === 'processed 2 inputs')).toBe(true);
  });

  it("accepts DESDM's per_file_cmdline string form ('connection:args')", async () => {
    const ctx = context('desdm', { args: baseArgs, listFiles, per_file_cmdline: 'calexps:--selectId visit={visit} ccd={detector}' });
    await getBuiltinTask('bps_ts.tasks.CommandTask').run(ctx);
    const written = (await readFile(ctx.outputs.warp!.path!, 'utf8')).split('\n');
    expect(written.slice(8, 14)).toEqual(['--selectId', 'visit=100', 'ccd=0', '--selectId', 'visit=100', 'ccd=1']);
  });

  it('passes values with spaces, quotes and $(...) literally and never runs a shell on them', async () => {
    const marker = path.join(dir, 'pwned');
    const nasty = `it's "quoted" $(touch ${marker}); \`touch ${marker}\` && rm -rf /`;
    const ctx = context('nasty', { args: [...baseArgs, '--note', nasty, '--tag', 'x-{band}-y'], listFiles }, { visit: 100, band: `i $(touch ${marker})` });
    await getBuiltinTask('bps_ts.tasks.CommandTask').run(ctx);
    const written = (await readFile(ctx.outputs.warp!.path!, 'utf8')).split('\n');
    expect(written).toContain(nasty);
    expect(written).toContain(`x-i $(touch ${marker})-y`);
    await expect(stat(marker)).rejects.toThrow(/ENOENT/);
  });

  it('turns a non-zero exit into TaskFailedError with the command, exit code and stderr tail', async () => {
    const ctx = context('fail', { args: [...baseArgs, '--fail'], listFiles });
    const error = await getBuiltinTask('bps_ts.tasks.CommandTask').run(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    const failed = error as TaskFailedError;
    expect(failed.exitCode).toBe(9);
    expect(failed.commandExitCode).toBe(3);
    expect(failed.command?.[0]).toBe(script);
    expect(failed.command).toContain('--fail');
    expect(failed.stderrTail).toBe('reading input\nfatal: bad pixel data');
    expect(failed.message).toMatch(/exited with code 3.*\n.*fatal: bad pixel data/s);
  });

  it('fails naming the output when the program exits 0 without writing it', async () => {
    const ctx = context('nooutput', { args: ['--list', '{listfile:inputs}'], listFiles });
    await expect(getBuiltinTask('bps_ts.tasks.CommandTask').run(ctx)).rejects.toThrow(/did not write output 'warp' \(deepCoadd_directWarp .*\) at '.*nooutput\.out'/);
  });

  it('fails clearly when the executable does not exist', async () => {
    const ctx = context('missing', { executable: path.join(dir, 'no-such-program'), args: [] });
    const error = await getBuiltinTask('bps_ts.tasks.CommandTask').run(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).message).toMatch(/could not start/);
    expect((error as TaskFailedError).hint).toMatch(/exists and is executable/);
  });
});

describe('argument templates', () => {
  const scope = { where: 'config.args', task: 't', values: { visit: 7 }, lists: { 'inputs:c': ['a b', 'c'] } };

  it('expands a whole-argument list token into several arguments and keeps literal braces', () => {
    expect(expandArguments(['{inputs:c}', 'v{visit}', '{{x}}'], scope)).toEqual(['a b', 'c', 'v7', '{x}']);
  });

  it('splits a string template on blanks before substituting, so values keep their spaces', () => {
    expect(expandArguments('-i {inputs:c} --visit={visit}', scope)).toEqual(['-i', 'a b', 'c', '--visit=7']);
  });

  it('rejects unknown names and multi-valued tokens inside longer arguments, saying where', () => {
    expect(() => expandArguments(['{band}'], scope)).toThrow(TaskInputError);
    expect(() => expandArguments(['{band}'], scope)).toThrow(/config.args\[0\] uses '\{band\}'/);
    expect(() => expandArguments(['x{inputs:c}'], scope)).toThrow(/2 values/);
  });

  it('rejects a command task config without an executable', async () => {
    const ctx = context('noexe', {});
    ctx.config = {};
    await expect(getBuiltinTask('bps_ts.tasks.CommandTask').run(ctx)).rejects.toThrow(/config 'executable' is null/);
  });
});
