import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BpsConfig, ConfigError, expandCommand, loadBpsConfig, readConfigFile, searchList, searchNumber, searchWalltime } from '../../src/config/index.js';
import { corpusFile, CTRL_BPS, LOVOCCS_CONFIG } from './corpus.js';

const NOW = new Date('2024-09-04T11:39:49.123Z');

describe('LoVoCCS Parsl/Slurm config (seed 004)', () => {
  const inputs = [
    'DECam/processing/quality_detectors_g',
    'DECam/processing/quality_detectors_r',
    'DECam/calib/skyframes',
    'DECam/raw/all',
  ];
  // The bps submit command line of the seed's log (line 9): -b, -i, -o, -p, -d.
  const config = loadBpsConfig({
    file: LOVOCCS_CONFIG,
    cwd: '/gpfs/data/idellant/Clusters/gen3_processing/A85',
    env: { USER: 'idellant' },
    now: NOW,
    overrides: {
      butlerConfig: 'repo/repo',
      inCollection: inputs,
      output: 'DECam/processing/skycorr',
      pipelineYaml: '/gpfs/data/idellant/Clusters/gen3_processing/A85/pipeline_yamls/DRP_step3d.yaml',
      dataQuery: "instrument='DECam' AND band IN ( 'g', 'r', 'i', 'z' )",
    },
  });

  it('derives the output run, unique name and submit path the reference logged', () => {
    expect(config.search('outputRun')).toBe('DECam/processing/skycorr/20240904T113949Z');
    expect(config.search('uniqProcName')).toBe('DECam_processing_skycorr_20240904T113949Z');
    expect(config.search('submitPath')).toBe('/gpfs/data/idellant/Clusters/gen3_processing/A85/submit/DECam/processing/skycorr/20240904T113949Z');
    expect(config.search('operator')).toBe('idellant');
  });

  it('reads the slurm site section through computeSite', () => {
    expect(config.search('computeSite')).toBe('slurm');
    expect(searchNumber(config, 'nodes')).toBe(7);
    expect(config.search('cores per node')).toBe(20);
    expect(searchWalltime(config, 'walltime')).toBe(48 * 3600);
    expect(config.search('class')).toBe('lsst.ctrl.bps.parsl.sites.Slurm');
    expect(config.searchHit('walltime')?.path).toBe('site.slurm.walltime');
    expect(config.searchHit('walltime')?.file).toBe(LOVOCCS_CONFIG);
  });

  it('keeps the defaults for values the file does not set', () => {
    expect(config.search('requestMemory')).toBe(2048);
    expect(config.search('wmsServiceClass')).toBe('lsst.ctrl.bps.parsl.ParslService');
    expect(config.search('inCollection')).toBe(inputs.join(','));
  });

  it('expands createQuantumGraph into one argument per word, the query staying one argument', () => {
    const qgraphFile = `${config.search('submitPath')}/${config.search('qgraphFileTemplate')}`;
    const argv = expandCommand(config, 'createQuantumGraph', { curvals: { qgraphFile } });
    expect(argv).toEqual([
      'qg', 'build',
      '-b', 'repo/repo',
      '-i', inputs.join(','),
      '-o', 'DECam/processing/skycorr',
      '--output-run', 'DECam/processing/skycorr/20240904T113949Z',
      '-p', '/gpfs/data/idellant/Clusters/gen3_processing/A85/pipeline_yamls/DRP_step3d.yaml',
      '-d', "instrument='DECam' AND band IN ( 'g', 'r', 'i', 'z' )",
      '--save-qgraph', '/gpfs/data/idellant/Clusters/gen3_processing/A85/submit/DECam/processing/skycorr/20240904T113949Z/DECam_processing_skycorr_20240904T113949Z.qg',
    ]);
  });
});

describe('ctrl_bps doc pipelines_check.yaml', () => {
  const file = corpusFile(`${CTRL_BPS}/doc/lsst.ctrl.bps/pipelines_check.yaml`);
  const env = { DRP_PIPE_DIR: '/sw/drp_pipe', PIPELINES_CHECK_DIR: '/sw/pipelines_check' };

  it('resolves payload values, ${ENV} and the default output names', () => {
    const config = loadBpsConfig({ file, env, cwd: '/work/run', operator: 'alice', now: new Date('2024-01-02T03:04:05Z') });
    expect(config.search('pipelineYaml')).toBe('/sw/drp_pipe/pipelines/HSC/pipelines_check.yaml#processCcd');
    expect(config.search('butlerConfig')).toBe('/sw/pipelines_check/DATA_REPO/butler.yaml');
    expect(searchList(config, 'inCollection')).toEqual(['HSC/calib', 'HSC/raw/all', 'refcats']);
    expect(config.search('dataQuery')).toBe('exposure=903342 AND detector=10');
    expect(config.search('output')).toBe('u/alice/pipelines_check');
    expect(config.search('outputRun')).toBe('u/alice/pipelines_check/20240102T030405Z');
    expect(config.search('uniqProcName')).toBe('u_alice_pipelines_check_20240102T030405Z');
    expect(config.search('submitPath')).toBe('/work/run/submit/u/alice/pipelines_check/20240102T030405Z');
    expect([config.search('project'), config.search('campaign'), config.search('computeSite')]).toEqual(['dev', 'quick', 'ncsapool']);
  });

  it('reports an undefined environment variable with the key and file', () => {
    const config = loadBpsConfig({ file, env: { DRP_PIPE_DIR: '/sw' }, cwd: '/w', operator: 'a' });
    expect(() => config.search('butlerConfig')).toThrowError(ConfigError);
    try {
      config.search('butlerConfig');
    } catch (e) {
      const err = e as ConfigError;
      expect(err.message).toContain('${PIPELINES_CHECK_DIR}');
      expect(err.key).toBe('payload.butlerConfig');
      expect(err.file).toBe(file);
    }
  });

  it('lets command-line values win over the payload', () => {
    const config = loadBpsConfig({ file, env, cwd: '/w', operator: 'a', overrides: { butlerConfig: '/other/repo', settings: ['payloadName=other', 'requestMemory=4096'] } });
    expect(config.search('butlerConfig')).toBe('/other/repo');
    expect(config.search('payloadName')).toBe('other');
    expect(config.search('output')).toBe('u/a/other');
    expect(config.search('requestMemory')).toBe(4096);
  });
});

describe('ctrl_bps tests/data/config.yaml (search rules of test_bpsconfig.py)', () => {
  const layer = readConfigFile(corpusFile(`${CTRL_BPS}/tests/data/config.yaml`), {});
  const config = BpsConfig.fromLayers([layer], { GARPLY: 'garply' }, ['baz', 'bar', 'foo']);

  it('searches sections in the given order', () => {
    expect(config.search('qux')).toBe(2);
  });

  it('lets current values and the search object win', () => {
    expect(config.search('qux', { curvals: { qux: -3 } })).toBe(-3);
    expect(config.search('qux', { searchobj: { qux: 4 } })).toBe(4);
  });

  it('descends into the subsection named by curr_<section>', () => {
    expect(config.search('qux', { curvals: { curr_baz: 'garply' } })).toBe(3);
  });

  it('expands ${ENV} and {var:03}, each on demand', () => {
    expect(config.search('grault', { replaceVars: false, expandEnvVars: false })).toBe('${GARPLY}/waldo/{qux:03}');
    expect(config.search('grault', { expandEnvVars: false })).toBe('${GARPLY}/waldo/002');
    expect(config.search('grault', { replaceVars: false })).toBe('garply/waldo/{qux:03}');
    expect(config.search('grault')).toBe('garply/waldo/002');
  });

  it('returns the default for a missing key and throws when required', () => {
    expect(config.search('plugh', { default: 4 })).toBe(4);
    expect(config.search('plugh')).toBeUndefined();
    expect(() => config.search('fred', { required: true })).toThrowError(/required bps setting 'fred'/);
  });
});

describe('ctrl_bps tests/data/initialize_config.yaml', () => {
  const file = corpusFile(`${CTRL_BPS}/tests/data/initialize_config.yaml`);

  it('resolves root, pipetask and finalJob values by the search order', () => {
    const config = loadBpsConfig({ file, defaultsFile: null });
    expect(config.search('p1')).toBe(3);
    expect(config.search('p3', { curvals: { curr_pipetask: 'ptask1' } })).toBe(32);
    expect(config.search('p2', { curvals: { curr_pipetask: 'ptask1' } })).toBe('unused ptask1');
    expect(config.search('p2')).toBe('unused root');
    expect(config.search('p1', { searchobj: config.raw('finalJob') as Record<string, unknown> })).toBe(9);
    expect(config.search('payloadName')).toBe('test_payload');
  });

  it('names the undefined variable, the key and the file', () => {
    const config = loadBpsConfig({ file, defaultsFile: null });
    expect(() => config.search('submitPath')).toThrowError(`undefined variable '{tempDir}' in the value of 'submitPath' (${file})`);
  });

  it('fills submitPath from the defaults once tempDir is given', () => {
    const config = loadBpsConfig({ file, operator: 'alice', now: new Date('2024-01-01T00:00:00Z'), overrides: { settings: ['tempDir=/tmp/x'] } });
    expect(config.search('submitPath')).toBe('/tmp/x/submit_test/u/alice/test_payload/20240101T000000Z');
  });

  it('refuses bpsEval (Python) with a hint', () => {
    const config = loadBpsConfig({ file, defaultsFile: null });
    expect(() => config.search('genval2', { curvals: { curr_pipetask: 'ptask1' } })).toThrowError(/bpsEval/);
    expect(config.search('genval2', { curvals: { curr_pipetask: 'ptask1' }, replaceVars: false })).toBe('-c val1:bpsEval(max, [{p1}, {p3}])');
  });
});

describe('ctrl_bps config/no_execution_butler.yaml and htcondor_defaults.yaml', () => {
  it('loads the no-execution-butler override on top of the defaults', () => {
    const config = loadBpsConfig({ file: corpusFile(`${CTRL_BPS}/config/no_execution_butler.yaml`), operator: 'a' });
    expect(config.search('.executionButler.whenMerge')).toBe('NEVER');
    const init = config.search('runQuantumCommand', { curvals: { curr_pipetask: 'pipetaskInit' }, replaceVars: false, expandEnvVars: false });
    expect(init).toMatch(/^\$\{CTRL_MPEXEC_DIR\}\/bin\/pipetask \{initPreCmdOpts\} run -b \{butlerConfig\}/);
    expect(config.search('runQuantumCommand', { replaceVars: false })).toMatch(/^\{qgExecutable\} \{runPreCmdOpts\} run-qbb/);
  });

  it('includes the HTCondor plugin defaults and resolves through a search object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bps-cfg-'));
    const file = join(dir, 'submit.yaml');
    const htc = corpusFile('bps/ctrl_bps_htcondor/python/lsst/ctrl/bps/htcondor/etc/htcondor_defaults.yaml');
    writeFileSync(file, `includeConfigs: [${JSON.stringify(htc)}]\nmemoryLimit: 65536\n`);
    const config = loadBpsConfig({ file, operator: 'a' });
    expect(config.search('memoryLimit')).toBe(65536);
    expect(config.search('.provisioning.provisioningNodeCount')).toBe(10);
    expect(config.search('overwriteJobFiles')).toBe(true);
    expect(config.search('overwriteJobFiles', { searchobj: config.raw('finalJob') as Record<string, unknown> })).toBe(false);
    expect(config.search('.wmsConfig.DAGMAN_MANAGER_JOB_APPEND_GETENV')).toBe('TRUE');
    expect(config.searchHit('.provisioning.provisioningQueue')?.file).toBe(htc);
    const provisioning = config.raw('provisioning') as Record<string, unknown>;
    expect(() => config.search('provisioningScript', { searchobj: provisioning, expandEnvVars: false })).toThrowError(/undefined variable '\{provisioningMaxWallTime\}'/);
    const script = config.search('provisioningScriptConfig', { searchobj: provisioning, expandEnvVars: false });
    expect(script).toContain('config.platform["s3df"].user.name="${USER}"');
  });
});
