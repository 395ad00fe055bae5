import type { Command } from 'commander';
import { Butler, exportRepository, importRepository } from '../../butler/index.js';
import { parseTransferMode } from '../../datastore/index.js';
import { UsageError } from '../../errors/index.js';
import { printResult, splitCommas, collect } from '../run-cli.js';
import { withButler } from './with-butler.js';

/** `create`, `export`, `import`. */
export function addRepoCommands(program: Command): void {
  program
    .command('create')
    .description('Create a new repository (SQLite registry inside it unless --db names a PostgreSQL database)')
    .argument('<repo>', 'directory of the new repository')
    .option('--db <url>', 'registry database URL, e.g. postgresql://user@host:5432/db')
    .option('--namespace <name>', 'PostgreSQL schema for this repository (default public)')
    .action(async (repo: string, opts: { db?: string; namespace?: string }) => {
      if (opts.namespace && !opts.db) throw new UsageError('--namespace only applies with --db postgresql://...', { hint: 'Drop --namespace, or add --db.' });
      const butler = await Butler.create(repo, { ...(opts.db ? { db: opts.db } : {}), ...(opts.namespace ? { namespace: opts.namespace } : {}) });
      process.stderr.write(`Created repository ${butler.repo} (registry ${butler.registry.displayUrl})\n`);
      await butler.close();
    });

  program
    .command('export')
    .description('Write DIRECTORY/export.yaml with the collections, their datasets and dimension records')
    .argument('<repo>')
    .argument('<directory>')
    .requiredOption('--collections <names...>', 'collections to export (chains bring their children)', collect, [])
    .option('-t, --transfer <mode>', 'also place the files in DIRECTORY: copy, symlink, relsymlink, hardlink, link')
    .option('--no-dimensions', 'do not export dimension records')
    .option('--json', 'print the result as JSON')
    .action(async (repo: string, directory: string, opts: { collections: string[]; transfer?: string; dimensions: boolean; json?: boolean }) => {
      const mode = opts.transfer ? parseTransferMode(opts.transfer) : undefined;
      if (mode === 'direct' || mode === 'auto' || mode === 'move') throw new UsageError(`Transfer mode "${mode}" cannot be used for export.`, { hint: 'Use copy, symlink, relsymlink, hardlink or link.' });
      const result = await withButler(repo, (b) =>
        exportRepository(b, { collections: splitCommas(opts.collections), directory, dimensions: opts.dimensions, ...(mode ? { transfer: mode } : {}) }),
      );
      printResult(Boolean(opts.json), result, () => `Exported ${result.datasets} datasets to ${result.file}`);
    });

  program
    .command('import')
    .description('Import an export file and its files into the repository, all or nothing')
    .argument('<repo>')
    .argument('<directory>', 'directory the export file paths are relative to')
    .option('--export-file <file>', 'export file (default DIRECTORY/export.yaml)')
    .option('-t, --transfer <mode>', 'how files are placed: auto, copy, move, symlink, relsymlink, hardlink, link, direct', 'auto')
    .option('--skip-dimensions', 'do not import dimension records')
    .option('--json', 'print the result as JSON')
    .action(async (repo: string, directory: string, opts: { exportFile?: string; transfer: string; skipDimensions?: boolean; json?: boolean }) => {
      const result = await withButler(repo, (b) =>
        importRepository(b, { directory, transfer: parseTransferMode(opts.transfer), skipDimensions: Boolean(opts.skipDimensions), ...(opts.exportFile ? { exportFile: opts.exportFile } : {}) }),
      );
      printResult(Boolean(opts.json), result, () => `Imported ${result.datasets} datasets`);
    });
}
