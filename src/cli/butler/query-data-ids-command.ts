import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { parseBindOptions, parseDataIdText } from '../../registry/index.js';
import { formatTable } from '../../util/index.js';
import { collect, printResult, splitCommas } from '../run-cli.js';
import { withButler } from './with-butler.js';

/** Parses a non-negative integer option, or fails naming it. */
export function parseCount(name: string, text: string | undefined, min = 0): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${name} "${text}" must be an integer >= ${min}.`);
  return n;
}

/** Adds `--where` and repeatable `--bind name=value` to a command. */
export function addWhereOptions(cmd: Command): Command {
  return cmd
    .option('--where <expression>', "where-clause, e.g. \"instrument = 'HSC' AND visit IN (1..10) AND band = 'r'\"")
    .option('--bind <name=value>', 'value of :name in the where-clause (name=1,2,3 gives a list); repeatable', collect, []);
}

interface QueryDataIdsOptions {
  where?: string;
  bind: string[];
  dataId: string[];
  datasets: string[];
  collections: string[];
  findFirst?: boolean;
  orderBy: string[];
  limit?: string;
  offset?: string;
  json?: boolean;
}

/** `query-data-ids REPO DIMENSIONS...`: data IDs as a table with one column per dimension. */
export function addQueryDataIdsCommand(program: Command): void {
  addWhereOptions(
    program
      .command('query-data-ids')
      .description('List the data IDs over some dimensions that match a where-clause (and have datasets)')
      .argument('<repo>')
      .argument('<dimensions...>', 'dimension names (comma or space separated), e.g. visit detector'),
  )
    .option('--data-id <k=v,...>', 'constrain by data-ID values; repeatable', collect, [])
    .option('--datasets <types...>', 'keep data IDs with a dataset of each of these types (needs --collections)', collect, [])
    .option('--collections <names...>', 'collections searched for --datasets (chains are expanded)', collect, [])
    .option('--find-first', 'accepted for compatibility; it does not change which data IDs have datasets')
    .option('--order-by <keys...>', 'sort by these dimensions or element.field names; prefix - for descending', collect, [])
    .option('--limit <n>', 'at most this many data IDs')
    .option('--offset <n>', 'skip this many data IDs first')
    .option('--json', 'print JSON')
    .action(async (repo: string, dims: string[], opts: QueryDataIdsOptions) => {
      const dimensions = splitCommas(dims);
      const datasets = splitCommas(opts.datasets);
      const collections = splitCommas(opts.collections);
      if (datasets.length > 0 && collections.length === 0) {
        throw new UsageError('--datasets needs --collections to search.', { hint: 'e.g. --datasets raw --collections HSC/raw/all' });
      }
      const limit = parseCount('--limit', opts.limit, 1);
      const offset = parseCount('--offset', opts.offset);
      const orderBy = splitCommas(opts.orderBy);
      await withButler(repo, async (b) => {
        const rows = await b.registry.queryDataIds({
          dimensions,
          ...(opts.where !== undefined ? { where: opts.where } : {}),
          bind: parseBindOptions(opts.bind),
          dataId: Object.assign({}, ...opts.dataId.map(parseDataIdText)) as Record<string, string>,
          ...(datasets.length > 0 ? { datasets: { types: datasets, collections, findFirst: Boolean(opts.findFirst) } } : {}),
          ...(orderBy.length > 0 ? { orderBy } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(offset !== undefined ? { offset } : {}),
        });
        const group = b.registry.universe.group(dimensions);
        const headers = [...group.required, ...group.implied];
        printResult(Boolean(opts.json), rows, () => (rows.length ? formatTable(headers, rows.map((r) => headers.map((h) => r[h]))) : 'No data IDs found.'));
      });
    });
}
