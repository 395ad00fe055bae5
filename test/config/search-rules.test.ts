import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBpsOverrides, applyFormatSpec, BpsConfig, ConfigError, expandCommand, loadBpsConfig, parseWalltime, searchIntList } from '../../src/config/index.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bps-cfg-'));
}

describe('search order', () => {
  const layered = {
    requestMemory: 1,
    computeSite: 'hpc',
    site: { hpc: { requestMemory: 2 }, other: { requestMemory: 99 } },
    pipetask: { isr: { requestMemory: 3 } },
    cluster: { cl1: { requestMemory: 4 } },
    payload: { requestMemory: 5 },
  };
  const curvals = { curr_pipetask: 'isr', curr_cluster: 'cl1' };

  it('prefers command line > payload > cluster > pipetask > site > root', () => {
    const config = BpsConfig.fromObject(layered);
    expect(applyBpsOverrides(config, { settings: ['requestMemory=6'] }).search('requestMemory', { curvals })).toBe(6);
    expect(config.search('requestMemory', { curvals })).toBe(5);
    const noPayload = BpsConfig.fromObject({ ...layered, payload: {} });
    expect(noPayload.search('requestMemory', { curvals })).toBe(4);
    expect(noPayload.search('requestMemory', { curvals: { curr_pipetask: 'isr' } })).toBe(3);
    expect(noPayload.search('requestMemory')).toBe(2);
    expect(noPayload.search('requestMemory', { curvals: { curr_site: 'nowhere' } })).toBe(1);
    expect(noPayload.search('requestMemory', { curvals: { curr_site: 'other' } })).toBe(99);
  });

  it('never searches a keyed section without a selected subsection', () => {
    const config = BpsConfig.fromObject({ pipetask: { isr: { x: 1 } } });
    expect(config.search('isr')).toBeUndefined();
    expect(config.search('x')).toBeUndefined();
  });

  it('reads an absolute key path with a leading dot', () => {
    const config = BpsConfig.fromObject(layered);
    expect(config.search('.pipetask.isr.requestMemory')).toBe(3);
    expect(config.searchHit('.site.other.requestMemory')).toEqual({ value: 99, path: 'site.other.requestMemory', file: '<object>' });
  });
});

describe('variable substitution', () => {
  it('substitutes recursively, each variable with the same search options', () => {
    const config = BpsConfig.fromObject({
      a: '{b}/{c}',
      b: 'B{c}',
      c: 'root',
      pipetask: { isr: { c: 'isr' } },
    });
    expect(config.search('a')).toBe('Broot/root');
    expect(config.search('a', { curvals: { curr_pipetask: 'isr' } })).toBe('Bisr/isr');
  });

  it('applies Python format specs and brace escapes', () => {
    const config = BpsConfig.fromObject({ n: 7, f: 3.14159, s: 'ab', t: '{n:03}|{n:>4}|{f:.2f}|{s:<4}|{{literal}}|{n:,}' });
    expect(config.search('t')).toBe('007|   7|3.14|ab  |{literal}|7');
    expect(applyFormatSpec(1234567, ',', { key: 'x' })).toBe('1,234,567');
    expect(applyFormatSpec(-5, '04', { key: 'x' })).toBe('-005');
    expect(applyFormatSpec('5', '03d', { key: 'x' })).toBe('005');
    expect(() => applyFormatSpec('abc', 'd', { key: 'x' })).toThrowError(/needs a number/);
  });

  it('reports an undefined variable with the key and its file', () => {
    const dir = tempDir();
    const file = join(dir, 'submit.yaml');
    writeFileSync(file, 'payload:\n  payloadName: demo\n  output: "u/{nobody}/{payloadName}"\n');
    const config = loadBpsConfig({ file, defaultsFile: null });
    try {
      config.search('output');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const err = e as ConfigError;
      expect(err.message).toBe(`undefined variable '{nobody}' in the value of 'payload.output' (${file})`);
      expect(err.key).toBe('payload.output');
      expect(err.file).toBe(file);
      expect(err.hint).toContain('-c nobody=VALUE');
      expect(err.exitCode).toBe(3);
    }
  });

  it('blanks undefined variables only when asked (data-ID templates)', () => {
    const config = BpsConfig.fromObject({ subDirTemplate: '{label}/{tract}/{visit}' });
    expect(config.search('subDirTemplate', { curvals: { label: 'isr', visit: 12 }, undefinedVars: 'blank' })).toBe('isr//12');
  });

  it('detects a cycle of variables and names it', () => {
    const config = BpsConfig.fromObject({ a: 'x{b}', b: 'y{c}', c: '{a}' });
    expect(() => config.search('a')).toThrowError("variable cycle: 'a' -> 'b' -> 'c' -> 'a'");
  });

  it('keeps skipped names and {wms...} placeholders verbatim', () => {
    const config = BpsConfig.fromObject({ cmd: 'run {qgraphNodeId} {wmsAttemptNum} {x}', x: 1 });
    expect(config.search('cmd', { skipNames: ['qgraphNodeId'] })).toBe('run {qgraphNodeId} {wmsAttemptNum} 1');
  });
});

describe('includeConfigs', () => {
  it('includes files relative to the including file; the includer wins', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'common.yaml'), 'requestMemory: 1000\nrequestCpus: 2\npipetask:\n  isr:\n    requestMemory: 5000\n');
    writeFileSync(join(dir, 'submit.yaml'), 'includeConfigs: sub/common.yaml\nrequestMemory: 3000\n');
    const config = loadBpsConfig({ file: join(dir, 'submit.yaml'), defaultsFile: null });
    expect(config.search('requestMemory')).toBe(3000);
    expect(config.search('requestCpus')).toBe(2);
    expect(config.searchHit('requestCpus')?.file).toBe(join(dir, 'sub', 'common.yaml'));
    expect(config.search('requestMemory', { curvals: { curr_pipetask: 'isr' } })).toBe(5000);
  });

  it('includes at a nested level', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'site.yaml'), 'nodes: 4\nwalltime: "01:00:00"\n');
    writeFileSync(join(dir, 'submit.yaml'), 'computeSite: hpc\nsite:\n  hpc:\n    includeConfigs: [site.yaml]\n    nodes: 8\n');
    const config = loadBpsConfig({ file: join(dir, 'submit.yaml'), defaultsFile: null });
    expect(config.search('nodes')).toBe(8);
    expect(config.search('walltime')).toBe('01:00:00');
  });

  it('rejects a cycle of includes, naming the chain', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), 'includeConfigs: b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'includeConfigs: [a.yaml]\n');
    expect(() => loadBpsConfig({ file: join(dir, 'a.yaml'), defaultsFile: null })).toThrowError(
      `includeConfigs cycle: ${join(dir, 'a.yaml')} -> ${join(dir, 'b.yaml')} -> ${join(dir, 'a.yaml')}`,
    );
  });

  it('reports a missing include and invalid YAML with the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), 'includeConfigs: nope.yaml\n');
    expect(() => loadBpsConfig({ file: join(dir, 'a.yaml'), defaultsFile: null })).toThrowError(/cannot read bps config '.*nope\.yaml' \(included from '.*a\.yaml'\)/);
    writeFileSync(join(dir, 'bad.yaml'), 'a: [1, 2\n');
    expect(() => loadBpsConfig({ file: join(dir, 'bad.yaml'), defaultsFile: null })).toThrowError(/is not valid YAML/);
  });
});

describe('command-line overrides', () => {
  const base = BpsConfig.fromObject({ payload: { output: 'u/x/demo', inCollection: 'a' }, pipetask: { isr: { requestMemory: 1 } } });

  it('maps -b -i -o --output-run -d -p -g --compute-site to the reference keys', () => {
    const config = applyBpsOverrides(base, {
      butlerConfig: '/repo', inCollection: ['c1', 'c2'], output: 'u/me/out', outputRun: 'u/me/out/run1',
      dataQuery: "visit = 1", pipelineYaml: 'p.yaml#step1', qgraphFile: 'g.qg', computeSite: 'slurm',
    });
    expect([config.search('butlerConfig'), config.search('inCollection'), config.search('output'), config.search('outputRun')]).toEqual(['/repo', 'c1,c2', 'u/me/out', 'u/me/out/run1']);
    expect([config.search('dataQuery'), config.search('pipelineYaml'), config.search('qgraphFile'), config.search('computeSite')]).toEqual(['visit = 1', 'p.yaml#step1', 'g.qg', 'slurm']);
    expect(config.searchHit('output')?.file).toBe('command line');
    expect(base.search('output')).toBe('u/x/demo');
  });

  it('sets a dotted -c key path and parses YAML scalars', () => {
    const config = applyBpsOverrides(base, { settings: ['pipetask.isr.requestMemory=8192', 'retryUnlessExit=[1, 3]', 'name=a=b', 'flag=true'] });
    expect(config.search('requestMemory', { curvals: { curr_pipetask: 'isr' } })).toBe(8192);
    expect(searchIntList(config, 'retryUnlessExit')).toEqual([1, 3]);
    expect(config.search('name')).toBe('a=b');
    expect(config.search('flag')).toBe(true);
  });

  it('rejects a -c without =', () => {
    expect(() => applyBpsOverrides(base, { settings: ['requestMemory'] })).toThrowError("-c 'requestMemory': expected key=value");
  });
});

describe('commands and values', () => {
  it('splits option strings and lists into arguments, keeps other values whole, drops empty ones', () => {
    const config = BpsConfig.fromObject({
      qgExecutable: ['node', '/opt/bps ts/qg.js'],
      runPreCmdOpts: '--long-log --log-level="VERBOSE x"',
      butlerConfig: '/repo with space',
      extraRunQuantumOptions: '',
      runQuantumCommand: "{qgExecutable} {runPreCmdOpts} run-qbb {butlerConfig} 'a b' --id={qgraphNodeId} {extraRunQuantumOptions}",
    });
    expect(expandCommand(config, 'runQuantumCommand', { curvals: { qgraphNodeId: 'id1,id2' } })).toEqual([
      'node', '/opt/bps ts/qg.js', '--long-log', '--log-level=VERBOSE x', 'run-qbb', '/repo with space', 'a b', '--id=id1,id2',
    ]);
  });

  it('passes hostile values through as single arguments', () => {
    const config = BpsConfig.fromObject({ cmd: 'qg run {q}', q: '$(rm -rf /); echo "x"' });
    expect(expandCommand(config, 'cmd')).toEqual(['qg', 'run', '$(rm -rf /); echo "x"']);
  });

  it('parses walltimes in seconds and Slurm clock forms', () => {
    expect([parseWalltime(90), parseWalltime('48:00:00'), parseWalltime('1-00:00:10'), parseWalltime('05:30'), parseWalltime('2h'), parseWalltime('soon')]).toEqual([90, 172800, 86410, 330, 7200, undefined]);
  });
});
