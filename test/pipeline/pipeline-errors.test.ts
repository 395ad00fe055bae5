import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContractError, loadPipeline, PipelineError, TaskCatalog } from '../../src/pipeline/index.js';
import { catchError } from './corpus-helpers.js';
import { writeFixtures } from './fixtures.js';

const catalog = new TaskCatalog();

/** Loads `main.yaml` from fixture files and returns the error it raises. */
function errorOf(files: Record<string, string>, options: { fragment?: string; config?: string[]; env?: Record<string, string> } = {}): PipelineError {
  const dir = writeFixtures(files);
  const err = catchError(() =>
    loadPipeline({ uri: path.join(dir, 'main.yaml') + (options.fragment ?? ''), catalog, env: { DIR: dir, ...options.env }, overrides: { config: options.config ?? [] } }),
  );
  expect(err).toBeInstanceOf(PipelineError);
  return err as PipelineError;
}

const TWO_TASKS = 'description: d\ntasks:\n  a: mod.A\n  b: mod.B\n';

describe('pipeline language errors name the file and the label', () => {
  it('rejects a duplicated key', () => {
    const err = errorOf({ 'main.yaml': 'description: d\ntasks:\n  a: mod.A\n  a: mod.B\n' });
    expect(err.message).toMatch(/main\.yaml' has a duplicated key at line 4/);
  });

  it('rejects a missing description', () => {
    expect(errorOf({ 'main.yaml': 'tasks:\n  a: mod.A\n' }).message).toMatch(/must be declared with a description.*main\.yaml/);
  });

  it('rejects a pipeline without tasks or imports', () => {
    expect(errorOf({ 'main.yaml': 'description: d\n' }).message).toMatch(/one or more tasks.*main\.yaml/);
  });

  it('rejects the inherits key and the singular subset key', () => {
    expect(errorOf({ 'main.yaml': 'description: d\ninherits: x.yaml\n' }).message).toMatch(/'inherits' key is not supported/);
    expect(errorOf({ 'main.yaml': `${TWO_TASKS}subset:\n  s: [a]\n` }).message).toMatch(/should be 'subsets'/);
  });

  it('rejects parameters as a task label and a list of instruments', () => {
    expect(errorOf({ 'main.yaml': 'description: d\ntasks:\n  parameters: mod.A\n' }).label).toBe('parameters');
    expect(errorOf({ 'main.yaml': `${TWO_TASKS}instrument: [x, y]\n` }).message).toMatch(/only one top-level instrument/);
  });

  it('rejects a subset naming an unknown task label', () => {
    const err = errorOf({ 'main.yaml': `${TWO_TASKS}subsets:\n  s1: [a, zz]\n` });
    expect(err.message).toMatch(/labeled subset 's1'.*'zz'.*main\.yaml/);
    expect(err.label).toBe('s1');
    expect(err.file).toMatch(/main\.yaml$/);
  });

  it('rejects a subset that reuses a task label', () => {
    expect(errorOf({ 'main.yaml': `${TWO_TASKS}subsets:\n  a: [b]\n` }).message).toMatch(/subset 'a' can not use the same label as a task.*main\.yaml/);
  });

  it('rejects a step that is not a subset and a step declared twice', () => {
    expect(errorOf({ 'main.yaml': `${TWO_TASKS}steps:\n  - {label: s, dimensions: []}\n` }).message).toMatch(/'s' was declared to be a step in '.*main\.yaml'/);
    const twice = `${TWO_TASKS}subsets:\n  s: [a]\nsteps:\n  - {label: s, dimensions: []}\n  - {label: s, dimensions: [visit]}\n`;
    expect(errorOf({ 'main.yaml': twice }).message).toMatch(/step 's' was declared twice.*main\.yaml/);
  });

  it('rejects duplicate task labels across imports', () => {
    const err = errorOf({
      'main.yaml': 'description: d\nimports:\n  - $DIR/one.yaml\n  - $DIR/two.yaml\n',
      'one.yaml': 'description: one\ntasks:\n  a: mod.A\n',
      'two.yaml': 'description: two\ntasks:\n  a: mod.A2\n',
    });
    expect(err.message).toMatch(/'a' appear in both '.*one\.yaml' and '.*two\.yaml'/);
    expect(err.label).toBe('a');
  });

  it('rejects conflicting instruments between a pipeline and its import', () => {
    const err = errorOf({
      'main.yaml': 'description: d\ninstrument: inst.A\nimports:\n  - $DIR/one.yaml\n',
      'one.yaml': 'description: one\ninstrument: inst.B\ntasks:\n  a: mod.A\n',
    });
    expect(err.message).toMatch(/'.*main\.yaml' defines 'inst\.A' but imported '.*one\.yaml' defines 'inst\.B'/);
  });

  it('accepts an import whose instrument is dropped with instrument: None', () => {
    const dir = writeFixtures({
      'main.yaml': 'description: d\ninstrument: inst.A\nimports:\n  - {location: $DIR/one.yaml, instrument: None}\n',
      'one.yaml': 'description: one\ninstrument: inst.B\ntasks:\n  a: mod.A\n',
    });
    expect(loadPipeline({ uri: path.join(dir, 'main.yaml'), env: { DIR: dir } }).instrument).toBe('inst.A');
  });

  it('rejects a step redefined with other dimensions than the imported one', () => {
    const err = errorOf({
      'main.yaml': 'description: d\nimports: [$DIR/one.yaml]\nsubsets:\n  s: [t]\nsteps:\n  - {label: s, dimensions: [tract]}\n',
      'one.yaml': 'description: o\ntasks:\n  t: mod.T\nsubsets:\n  s: [t]\nsteps:\n  - {label: s, dimensions: [visit]}\n',
    });
    expect(err.message).toMatch(/conflicting definitions of step 's': dimensions \[visit\] in '.*one\.yaml' and \[tract\] in '.*main\.yaml'/);
    expect(err.label).toBe('s');
  });

  it('rejects include together with exclude, and an unknown labeledSubsetModifyMode', () => {
    const imported = { 'one.yaml': TWO_TASKS };
    expect(errorOf({ ...imported, 'main.yaml': 'description: d\nimports:\n  - {location: $DIR/one.yaml, include: [a], exclude: [b]}\n' }).message).toMatch(/include list and an exclude list.*main\.yaml/);
    expect(errorOf({ ...imported, 'main.yaml': 'description: d\nimports:\n  - {location: $DIR/one.yaml, labeledSubsetModifyMode: KEEP}\n' }).message).toMatch(/'KEEP' is not a valid mode/);
  });

  it('rejects renaming a task to an existing label', () => {
    const err = errorOf({ 'one.yaml': TWO_TASKS, 'main.yaml': 'description: d\nimports:\n  - {location: $DIR/one.yaml, rename: {a: b}}\n' });
    expect(err.message).toMatch(/can't rename 'a' to existing label 'b'/);
  });

  it('reports an unset environment variable and a missing import', () => {
    expect(errorOf({ 'main.yaml': 'description: d\nimports: [$NOT_SET_DIR/x.yaml]\n' }).message).toMatch(/\$NOT_SET_DIR .*main\.yaml.*is not set/);
    expect(errorOf({ 'main.yaml': 'description: d\nimports: [$DIR/absent.yaml]\n' }).message).toMatch(/absent\.yaml.*does not exist \(imported by '.*main\.yaml'\)/);
  });

  it('reports an import cycle with the chain of files', () => {
    const err = errorOf({ 'main.yaml': 'description: d\nimports: [$DIR/one.yaml]\n', 'one.yaml': 'description: o\nimports: [$DIR/main.yaml]\n' });
    expect(err.message).toMatch(/import cycle: .*main\.yaml -> .*one\.yaml -> .*main\.yaml/);
  });

  it('fails a violated contract with its message, file and task label', () => {
    const text = `description: d\ntasks:\n  a:\n    class: mod.A\n    config: {x: 1, y: 2}\ncontracts:\n  - contract: a.x == a.y\n    msg: x and y must agree\n`;
    const err = errorOf({ 'main.yaml': text });
    expect(err).toBeInstanceOf(ContractError);
    expect(err.message).toMatch(/contract 'a\.x == a\.y' \(from '.*main\.yaml', tasks a\) was not satisfied: x and y must agree/);
    expect(err.label).toBe('a');
  });

  it('reports a contract it cannot evaluate instead of passing it', () => {
    const dir = writeFixtures({ 'main.yaml': `description: d\ntasks:\n  a: mod.A\ncontracts:\n  - a.unknownField == 3\n  - "[x for x in a.list]"\n` });
    const p = loadPipeline({ uri: path.join(dir, 'main.yaml') });
    expect(p.contractSummary).toEqual({ satisfied: 0, unverified: 2 });
    expect(p.notes.filter((n) => n.kind === 'unverified-contract').map((n) => n.message).join('\n')).toMatch(/a\.unknownField' has no known value[\s\S]*does not handle/);
  });

  it('rejects a -c override for a label that is not in the pipeline', () => {
    const err = errorOf({ 'main.yaml': TWO_TASKS }, { config: ['zz:x=1'] });
    expect(err.message).toMatch(/no tasks labeled 'zz' in the pipeline '.*main\.yaml'/);
    expect(err.label).toBe('zz');
  });
});
