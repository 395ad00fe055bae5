import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ingestFiles } from '../../butler/index.js';
import { parseTransferMode } from '../../datastore/index.js';
import { InvalidInputError, UsageError } from '../../errors/index.js';
import { parseBindOptions, parseDataIdText, type RecordConflictMode } from '../../registry/index.js';
import { formatTable } from '../../util/index.js';
import { collect, printResult, splitCommas } from '../run-cli.js';
import { withButler } from './with-butler.js';

/** Parses CSV text (RFC 4180 quoting); `#` lines (ECSV headers) are skipped. */
export function parseCsv(text: string, file: string): string[][] {
  const rows: string[][] = [];
  for (const [n, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
        else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') cells.push(cell.trim()), (cell = '');
      else cell += ch;
    }
    if (quoted) throw new InvalidInputError(`${file}:${n + 1}: unterminated quoted value.`, { file });
    cells.push(cell.trim());
    rows.push(cells);
  }
  return rows;
}

/** `ingest-files`, `insert-dimension-records`, `query-dimension-records`. */
export function addIngestCommands(program: Command): void {
  program
    .command('ingest-files')
    .description('Ingest files listed in a CSV table (first column the file, the others data-ID values) as datasets of one type')
    .argument('<repo>')
    .argument('<dataset-type>')
    .argument('<run>')
    .argument('<table-file>')
    .option('--data-id <k=v,...>', 'data-ID values common to every file; repeatable', collect, [])
    .option('--prefix <dir>', 'directory relative file names are relative to (default: the table file\'s)')
    .option('-t, --transfer <mode>', 'auto, copy, move, symlink, relsymlink, hardlink, link, direct', 'auto')
    .option('--formatter <name>', 'formatter recorded for the files (guessed from the extension otherwise)')
    .option('--json', 'print JSON')
    .action(async (repo: string, datasetType: string, run: string, tableFile: string, opts: { dataId: string[]; prefix?: string; transfer: string; formatter?: string; json?: boolean }) => {
      const rows = parseCsv(readFileSync(tableFile, 'utf8'), tableFile);
      const [header, ...body] = rows;
      if (!header || header.length < 1 || body.length === 0) throw new InvalidInputError(`Table ${tableFile} needs a header row and at least one file row.`, { file: tableFile, hint: 'e.g. "file,instrument,exposure,detector" then one row per file.' });
      const common = Object.assign({}, ...opts.dataId.map(parseDataIdText)) as Record<string, string>;
      const prefix = resolve(opts.prefix ?? dirname(tableFile));
      const files = body.map((cells, i) => {
        if (cells.length !== header.length) throw new InvalidInputError(`Row ${i + 2} of ${tableFile} has ${cells.length} values; the header has ${header.length}.`, { file: tableFile });
        const dataId: Record<string, string> = { ...common };
        header.slice(1).forEach((h, j) => (dataId[h] = cells[j + 1]!));
        return { path: resolve(prefix, cells[0]!), dataId };
      });
      const refs = await withButler(repo, (b) => ingestFiles(b, { datasetType, run, files, transfer: parseTransferMode(opts.transfer), ...(opts.formatter ? { formatter: opts.formatter } : {}) }));
      printResult(Boolean(opts.json), refs, () => `Ingested ${refs.length} ${datasetType} file(s) into ${run}`);
    });

  program
    .command('insert-dimension-records')
    .description('Insert dimension records of one element from a YAML or JSON list')
    .argument('<repo>')
    .argument('<element>')
    .argument('<file>')
    .option('--mode <mode>', 'insert (existing keys are errors), sync (identical existing records are fine) or replace', 'insert')
    .action(async (repo: string, element: string, file: string, opts: { mode: string }) => {
      if (!['insert', 'sync', 'replace'].includes(opts.mode)) throw new UsageError(`--mode "${opts.mode}" is not one of insert, sync, replace.`);
      let records: unknown;
      try {
        records = parseYaml(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new InvalidInputError(`Cannot read records from ${file}: ${(err as Error).message}`, { file, cause: err });
      }
      if (!Array.isArray(records)) throw new InvalidInputError(`${file} must hold a list of records.`, { file });
      const n = await withButler(repo, (b) => b.registry.insertDimensionRecords(element, records as Record<string, unknown>[], opts.mode as RecordConflictMode));
      process.stdout.write(`Inserted ${n} ${element} record(s)\n`);
    });

  program
    .command('query-dimension-records')
    .description('List the records of one dimension element')
    .argument('<repo>')
    .argument('<element>')
    .option('--data-id <k=v,...>', 'constrain by data-ID values; repeatable', collect, [])
    .option('--where <expression>', "where-clause, e.g. \"visit.exposure_time > 30 AND band = 'r'\"")
    .option('--bind <name=value>', 'value of :name in the where-clause (name=1,2,3 gives a list); repeatable', collect, [])
    .option('--order-by <keys...>', 'sort by these fields of the element (prefix - for descending)', collect, [])
    .option('--limit <n>', 'at most this many records')
    .option('--json', 'print JSON')
    .action(async (repo: string, element: string, opts: { dataId: string[]; where?: string; bind: string[]; orderBy: string[]; limit?: string; json?: boolean }) => {
      const dataId = Object.assign({}, ...opts.dataId.map(parseDataIdText)) as Record<string, string>;
      await withButler(repo, async (b) => {
        const filter = opts.where === undefined ? undefined : await b.registry.buildRecordWhere({ element, where: opts.where, bind: parseBindOptions(opts.bind) });
        const orderBy = splitCommas(opts.orderBy);
        const unordered = await b.registry.queryDimensionRecords({ element, dataId, ...(filter ? { where: filter } : {}), ...(opts.limit && orderBy.length === 0 ? { limit: Number(opts.limit) } : {}) });
        const sorted = orderBy.length > 0 ? sortRecords(unordered, orderBy, element) : unordered;
        const records = opts.limit && orderBy.length > 0 ? sorted.slice(0, Number(opts.limit)) : sorted;
        const headers = records[0] ? Object.keys(records[0]).filter((k) => k !== 'region') : [];
        printResult(Boolean(opts.json), records, () =>
          records.length ? formatTable(headers, records.map((r) => headers.map((h) => (typeof r[h] === 'object' && r[h] !== null ? JSON.stringify(r[h]) : (r[h] as string))))) : 'No records found.',
        );
      });
    });
}

/** Sorts records by fields (`exposure_time`, `visit.exposure_time`, `-id`), nulls last. */
function sortRecords(records: Record<string, unknown>[], keys: readonly string[], element: string): Record<string, unknown>[] {
  const fields = keys.map((k) => {
    const descending = k.startsWith('-');
    const name = (descending ? k.slice(1) : k).replace(new RegExp(`^${element}\\.`), '');
    if (records[0] && !(name in records[0])) throw new UsageError(`--order-by "${k}" is not a field of ${element} records.`, { hint: `Fields: ${Object.keys(records[0]).join(', ')}.` });
    return { name, sign: descending ? -1 : 1 };
  });
  return [...records].sort((a, b) => {
    for (const { name, sign } of fields) {
      const x = a[name];
      const y = b[name];
      if (x === y) continue;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * sign;
    }
    return 0;
  });
}
