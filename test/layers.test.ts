import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './support/cli.js';

/** Which layers each layer may import (DESIGN.md); anything else is a violation. */
const ALLOWED: Record<string, readonly string[]> = {
  cli: ['*'],
  bench: ['bps', 'sites', 'workflow', 'cluster', 'graph', 'exec', 'aggregate', 'tasks', 'butler', 'registry', 'datastore', 'pipeline', 'query', 'config', 'demo', 'instrument', 'skymap', 'fits', 'geom', 'errors', 'util'],
  bps: ['sites', 'workflow', 'cluster', 'graph', 'exec', 'aggregate', 'butler', 'registry', 'datastore', 'pipeline', 'query', 'config', 'errors', 'util'],
  sites: ['workflow', 'config', 'errors', 'util'],
  workflow: ['cluster', 'graph', 'config', 'errors', 'util'],
  cluster: ['graph', 'config', 'errors', 'util'],
  graph: ['registry', 'pipeline', 'query', 'errors', 'util'],
  aggregate: ['exec', 'graph', 'butler', 'registry', 'datastore', 'errors', 'util'],
  exec: ['graph', 'datastore', 'tasks', 'pipeline', 'errors', 'util'],
  tasks: ['fits', 'geom', 'skymap', 'instrument', 'pipeline', 'errors', 'util'],
  butler: ['registry', 'datastore', 'instrument', 'skymap', 'demo', 'fits', 'geom', 'errors', 'util'],
  registry: ['query', 'geom', 'errors', 'util'],
  datastore: ['errors', 'util'],
  pipeline: ['errors', 'util'],
  query: ['errors', 'util'],
  config: ['errors', 'util'],
  demo: ['instrument', 'skymap', 'fits', 'geom', 'errors', 'util'],
  instrument: ['fits', 'geom', 'errors', 'util'],
  skymap: ['geom', 'errors', 'util'],
  fits: ['errors', 'util'],
  geom: ['errors', 'util'],
  util: ['errors'],
  errors: [],
};

const srcDir = join(projectRoot, 'src');

function listSources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Relative imports of a file, resolved to .ts paths (type-only imports included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    out.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  }
  return out;
}

function layerOf(file: string): string {
  return relative(srcDir, file).split('/')[0]!.replace(/\.ts$/, '');
}

const files = listSources(srcDir);

describe('layer rules', () => {
  it('knows every layer folder under src/', () => {
    const unknown = [...new Set(files.map(layerOf))].filter((l) => !(l in ALLOWED));
    expect(unknown).toEqual([]);
  });

  it('imports only allowed layers, and other layers only through their index.ts', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to === from) continue;
        const allowed = ALLOWED[from] ?? [];
        if (!allowed.includes('*') && !allowed.includes(to)) violations.push(`${relative(projectRoot, file)} -> ${relative(projectRoot, target)} (${from} may not import ${to})`);
        if (from !== 'cli' && relative(join(srcDir, to), target) !== 'index.ts') violations.push(`${relative(projectRoot, file)} -> ${relative(projectRoot, target)} (import ${to} through its index.ts)`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles between files', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => t.startsWith(srcDir))]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(srcDir, p)).join(' -> '));
        return;
      }
      state.set(f, 'visiting');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
