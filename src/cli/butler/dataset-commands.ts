import type { Command } from 'commander';
import { pruneDatasets, retrieveArtifacts } from '../../butler/index.js';
import type { Butler } from '../../butler/index.js';
import { InvalidInputError, UsageError } from '../../errors/index.js';
import { formatDataId, parseBindOptions, parseDataIdText, type DatasetRef, type StoredDatasetType } from '../../registry/index.js';
import { formatTable } from '../../util/index.js';
import { collect, printResult, splitCommas } from '../run-cli.js';
import { addWhereOptions } from './query-data-ids-command.js';
import { confirmAction, withButler } from './with-butler.js';

/** Options shared by the commands that select datasets. */
interface DatasetSelection {
  collections: string[];
  datasets?: string[];
  dataId?: string[];
  findFirst?: boolean;
  limit?: string;
  where?: string;
  bind?: string[];
}

/** Adds --collections, --data-id, --find-first, --limit to a dataset-selecting command. */
function addSelectionOptions(cmd: Command): Command {
  return cmd
    .option('--collections <names...>', 'collections to search, in order (chains are expanded)', collect, [])
    .option('--data-id <k=v,...>', 'constrain to this data ID (e.g. instrument=HSC,visit=12); repeatable', collect, [])
    .option('--find-first', 'only the first dataset per data ID along the collection search path')
    .option('--limit <n>', 'at most this many datasets');
}

/** Resolves dataset types from globs and queries the selected datasets. */
export async function selectDatasets(butler: Butler, globs: readonly string[], sel: DatasetSelection): Promise<{ refs: DatasetRef[]; types: StoredDatasetType[] }> {
  const collections = splitCommas(sel.collections);
  if (collections.length === 0) {
    collections.push(...(await butler.registry.queryCollections()).map((c) => c.name));
    if (sel.findFirst) throw new UsageError('--find-first needs an ordered --collections list.', { hint: 'Pass --collections A,B in search order.' });
  }
  const patterns = globs.length ? [...globs] : ['*'];
  const types = await butler.registry.queryDatasetTypes(patterns);
  if (types.length === 0 && globs.length > 0) {
    for (const g of globs) if (!/[*?]/.test(g)) await butler.registry.getDatasetType(g);
  }
  const dataId = Object.assign({}, ...(sel.dataId ?? []).map(parseDataIdText)) as Record<string, string>;
  const limit = sel.limit === undefined ? undefined : Number(sel.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit "${sel.limit}" must be a positive integer.`);
  const where = sel.where === undefined ? undefined : await butler.registry.buildDatasetWhere({ where: sel.where, bind: parseBindOptions(sel.bind ?? []), datasetTypes: types });
  const refs = await butler.registry.queryDatasets({ datasetTypes: types, collections, findFirst: Boolean(sel.findFirst), dataId, ...(limit ? { limit } : {}), ...(where ? { where } : {}) });
  return { refs, types };
}

/** `query-datasets`, `prune-datasets`, `retrieve-artifacts`. */
export function addDatasetCommands(program: Command): void {
  addWhereOptions(addSelectionOptions(
    program
      .command('query-datasets')
      .description('List datasets, grouped by dataset type')
      .argument('<repo>')
      .argument('[glob...]', 'dataset type names or patterns'),
  ))
    .option('--show-uri', 'show the absolute path of each file')
    .option('--json', 'print JSON')
    .action(async (repo: string, globs: string[], opts: DatasetSelection & { showUri?: boolean; json?: boolean }) => {
      await withButler(repo, async (b) => {
        const { refs, types } = await selectDatasets(b, globs, opts);
        const records = opts.showUri ? await b.artifactsOf(refs) : [];
        const rows = refs.map((r, i) => ({ ...r, ...(opts.showUri ? { uri: records[i] ? b.datastore.absolutePath(records[i].path) : null } : {}) }));
        if (opts.json) return printResult(true, rows, () => '');
        const blocks: string[] = [];
        for (const t of types) {
          const mine = rows.filter((r) => r.datasetType === t.name);
          if (mine.length === 0) continue;
          const headers = ['type', 'run', 'id', ...t.dimensions, ...(opts.showUri ? ['URI'] : [])];
          blocks.push(formatTable(headers, mine.map((r) => [r.datasetType, r.run, r.id, ...t.dimensions.map((d) => r.dataId[d]), ...(opts.showUri ? [r.uri ?? ''] : [])])));
        }
        process.stdout.write(blocks.length ? `${blocks.join('\n\n')}\n` : 'No datasets found.\n');
      });
    });

  addSelectionOptions(
    program
      .command('prune-datasets')
      .description('Remove datasets: --purge RUN deletes them from registry and datastore; --unstore deletes only their files')
      .argument('<repo>')
      .argument('[glob...]', 'dataset type names or patterns'),
  )
    .option('--purge <run>', 'delete the datasets completely; they must be in this RUN')
    .option('--unstore', 'delete the files and datastore records, keep the registry entries')
    .option('--no-confirm', 'do not ask for confirmation')
    .action(async (repo: string, globs: string[], opts: DatasetSelection & { purge?: string; unstore?: boolean; confirm: boolean }) => {
      if (Boolean(opts.purge) === Boolean(opts.unstore)) throw new UsageError('Choose exactly one of --purge RUN and --unstore.');
      await withButler(repo, async (b) => {
        if (opts.purge) await b.registry.getCollection(opts.purge, 'RUN');
        const { refs } = await selectDatasets(b, globs, opts.purge && opts.collections.length === 0 ? { ...opts, collections: [opts.purge] } : opts);
        const outside = opts.purge ? refs.filter((r) => r.run !== opts.purge) : [];
        if (outside[0]) throw new InvalidInputError(`Dataset ${outside[0].datasetType} ${formatDataId(outside[0].dataId)} is in run "${outside[0].run}", not in --purge run "${opts.purge}".`, { hint: 'Narrow --collections to the run being purged.' });
        if (refs.length === 0) return void process.stdout.write('No datasets found.\n');
        if (!(await confirmAction(`${opts.purge ? 'Purge' : 'Unstore'} ${refs.length} dataset(s)?`, opts.confirm))) return;
        const result = await pruneDatasets(b, refs, opts.purge ? 'purge' : 'unstore');
        process.stdout.write(`${opts.purge ? 'Purged' : 'Unstored'} ${refs.length} dataset(s), removed ${result.files} file(s)\n`);
      });
    });

  addSelectionOptions(
    program
      .command('retrieve-artifacts')
      .description('Copy the files of datasets into a directory, keeping their repository paths')
      .argument('<repo>')
      .argument('<destination>')
      .option('--datasets <globs...>', 'dataset type names or patterns', collect, []),
  )
    .option('--clobber', 'overwrite existing files')
    .action(async (repo: string, destination: string, opts: DatasetSelection & { datasets: string[]; clobber?: boolean }) => {
      await withButler(repo, async (b) => {
        const { refs } = await selectDatasets(b, splitCommas(opts.datasets), opts);
        const paths = await retrieveArtifacts(b, refs, { destination, clobber: Boolean(opts.clobber) });
        process.stdout.write(paths.length ? `${paths.join('\n')}\nRetrieved ${paths.length} file(s)\n` : 'No files retrieved.\n');
      });
    });
}
