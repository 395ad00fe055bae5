import type { Command } from 'commander';
import { removeRuns } from '../../butler/index.js';
import { InvalidInputError, UsageError } from '../../errors/index.js';
import { COLLECTION_TYPES, type CollectionRecord, type CollectionType, type Registry } from '../../registry/index.js';
import { formatTable } from '../../util/index.js';
import { printResult, collect, splitCommas } from '../run-cli.js';
import { confirmAction, withButler } from './with-butler.js';

const CHAIN_MODES = ['table', 'tree', 'flatten', 'no-children'] as const;
const CHAIN_EDIT_MODES = ['redefine', 'extend', 'prepend', 'pop', 'remove'] as const;

function parseTypes(values: string[]): CollectionType[] {
  return splitCommas(values).map((t) => {
    const up = t.toUpperCase();
    if (!(COLLECTION_TYPES as readonly string[]).includes(up)) throw new UsageError(`Collection type "${t}" is not one of ${COLLECTION_TYPES.join(', ')}.`);
    return up as CollectionType;
  });
}

/** `query-collections`, `collection-chain`, `remove-collections`, `remove-runs`. */
export function addCollectionCommands(program: Command): void {
  program
    .command('query-collections')
    .description('List collections, with the children of chains')
    .argument('<repo>')
    .argument('[glob...]', 'collection name patterns (* and ?)')
    .option('--collection-type <type>', 'only this type (RUN, TAGGED, CHAINED, CALIBRATION); repeatable', collect, [])
    .option('--chains <mode>', 'how to show chains: table, tree, flatten, no-children', 'table')
    .option('--json', 'print JSON')
    .action(async (repo: string, globs: string[], opts: { collectionType: string[]; chains: string; json?: boolean }) => {
      const mode = opts.chains.toLowerCase();
      if (!(CHAIN_MODES as readonly string[]).includes(mode)) throw new UsageError(`--chains "${opts.chains}" is not one of ${CHAIN_MODES.join(', ')}.`);
      await withButler(repo, async (b) => {
        const records = await b.registry.queryCollections({ patterns: globs, types: parseTypes(opts.collectionType) });
        if (mode === 'flatten') {
          const flat = await b.registry.flattenCollections(records.map((r) => r.name));
          const rows = await Promise.all(flat.map(async (n) => ({ name: n, type: (await b.registry.getCollection(n)).type })));
          printResult(Boolean(opts.json), rows, () => formatTable(['Name', 'Type'], rows.map((r) => [r.name, r.type])));
          return;
        }
        const rows = await Promise.all(records.map(async (r) => ({ name: r.name, type: r.type, children: r.type === 'CHAINED' ? await b.registry.getCollectionChain(r.name) : [] })));
        if (opts.json) return printResult(true, rows, () => '');
        if (mode === 'tree') {
          process.stdout.write(await formatTree(b.registry, records));
          return;
        }
        const table: (string | null)[][] = [];
        for (const r of rows) {
          if (mode === 'table' && r.children.length > 0) r.children.forEach((c, i) => table.push([i === 0 ? r.name : '', i === 0 ? r.type : '', c]));
          else table.push([r.name, r.type, '']);
        }
        process.stdout.write(`${formatTable(mode === 'table' ? ['Name', 'Type', 'Children'] : ['Name', 'Type'], table.map((t) => (mode === 'table' ? t : t.slice(0, 2))))}\n`);
      });
    });

  program
    .command('collection-chain')
    .description('Create or modify a CHAINED collection')
    .argument('<repo>')
    .argument('<parent>')
    .argument('[children...]', 'child collections (for pop: positions, default 0)')
    .option('--mode <mode>', 'redefine, extend, prepend, pop or remove', 'redefine')
    .option('--doc <text>', 'documentation of a new chain')
    .option('--flatten', 'store the flattened children instead of nested chains')
    .action(async (repo: string, parent: string, children: string[], opts: { mode: string; doc?: string; flatten?: boolean }) => {
      const mode = opts.mode.toLowerCase();
      if (!(CHAIN_EDIT_MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode "${opts.mode}" is not one of ${CHAIN_EDIT_MODES.join(', ')}.`);
      await withButler(repo, async (b) => {
        const result = await b.registry.transaction(async (r) => {
          const existing = await r.findCollection(parent);
          if (!existing) {
            if (mode !== 'redefine' && mode !== 'extend' && mode !== 'prepend') throw new InvalidInputError(`Chain "${parent}" does not exist, so nothing can be ${mode === 'pop' ? 'popped' : 'removed'}.`);
            await r.registerCollection(parent, 'CHAINED', opts.doc);
          }
          const current = await r.getCollectionChain(parent);
          const items = splitCommas(children);
          const given = opts.flatten ? await r.flattenCollections(items) : items;
          const next = editChain(current, given, mode as (typeof CHAIN_EDIT_MODES)[number], parent);
          await r.setCollectionChain(parent, next);
          return next;
        });
        process.stdout.write(`[${result.join(', ')}]\n`);
      });
    });

  program
    .command('remove-collections')
    .description('Remove TAGGED, CHAINED or CALIBRATION collections (not their datasets)')
    .argument('<repo>')
    .argument('<glob...>')
    .option('--no-confirm', 'do not ask for confirmation')
    .option('--unlink', 'also remove them from chains that list them')
    .action(async (repo: string, globs: string[], opts: { confirm: boolean; unlink?: boolean }) => {
      await withButler(repo, async (b) => {
        const found = (await b.registry.queryCollections({ patterns: globs })).filter((c) => c.type !== 'RUN');
        if (found.length === 0) throw new InvalidInputError(`No non-RUN collection matches ${globs.map((g) => `"${g}"`).join(', ')}.`, { hint: 'RUN collections are removed with remove-runs.' });
        if (!(await confirmAction(`Remove collections ${found.map((c) => c.name).join(', ')}?`, opts.confirm))) return;
        await b.registry.removeCollections(found.map((c) => c.name), { unlink: Boolean(opts.unlink) });
        process.stdout.write(`Removed ${found.length} collection(s): ${found.map((c) => c.name).join(', ')}\n`);
      });
    });

  program
    .command('remove-runs')
    .description('Remove RUN collections with all their datasets and files; unlinks them from chains')
    .argument('<repo>')
    .argument('<glob...>')
    .option('--no-confirm', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (repo: string, globs: string[], opts: { confirm: boolean; json?: boolean }) => {
      await withButler(repo, async (b) => {
        const runs = await b.registry.queryCollections({ patterns: globs, types: ['RUN'] });
        if (runs.length === 0) throw new InvalidInputError(`No RUN collection matches ${globs.map((g) => `"${g}"`).join(', ')}.`, { hint: 'List runs with `butler-ts query-collections REPO --collection-type RUN`.' });
        if (!(await confirmAction(`Remove runs ${runs.map((r) => r.name).join(', ')} and all their datasets?`, opts.confirm))) return;
        const result = await removeRuns(b, runs.map((r) => r.name));
        printResult(Boolean(opts.json), { runs: runs.map((r) => r.name), ...result }, () => `Removed ${runs.length} run(s), ${result.datasets} dataset(s), ${result.files} file(s)`);
      });
    });
}

function editChain(current: readonly string[], given: readonly string[], mode: (typeof CHAIN_EDIT_MODES)[number], parent: string): string[] {
  switch (mode) {
    case 'redefine':
      return [...given];
    case 'extend':
      return [...current.filter((c) => !given.includes(c)), ...given];
    case 'prepend':
      return [...given, ...current.filter((c) => !given.includes(c))];
    case 'remove': {
      const missing = given.filter((g) => !current.includes(g));
      if (missing.length) throw new InvalidInputError(`Chain "${parent}" does not contain ${missing.map((m) => `"${m}"`).join(', ')}.`, { hint: `Its children are: ${current.join(', ') || '(none)'}.` });
      return current.filter((c) => !given.includes(c));
    }
    case 'pop': {
      const positions = (given.length ? given : ['0']).map((p) => {
        const n = Number(p);
        if (!Number.isInteger(n) || n < -current.length || n >= current.length) throw new InvalidInputError(`Position "${p}" is outside chain "${parent}" of ${current.length} children.`);
        return n < 0 ? current.length + n : n;
      });
      return current.filter((_, i) => !positions.includes(i));
    }
  }
}

async function formatTree(registry: Registry, records: readonly CollectionRecord[]): Promise<string> {
  const lines: string[] = [];
  const visit = async (name: string, type: string, depth: number): Promise<void> => {
    lines.push(`${'  '.repeat(depth)}${name} ${type}`);
    if (type === 'CHAINED') for (const c of await registry.getCollectionChain(name)) await visit(c, (await registry.getCollection(c)).type, depth + 1);
  };
  for (const r of records) await visit(r.name, r.type, 0);
  return `${lines.join('\n')}\n`;
}
