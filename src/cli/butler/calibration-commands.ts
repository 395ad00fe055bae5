import type { Command } from 'commander';
import { InvalidInputError, UsageError } from '../../errors/index.js';
import { formatTimespan } from '../../registry/index.js';
import { collect, splitCommas } from '../run-cli.js';
import { selectDatasets } from './dataset-commands.js';
import { withButler } from './with-butler.js';

/** Parses an ISO date/time (UTC when no zone is given) into UTC microseconds. */
export function parseDateOption(value: string, option: string): number {
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) || /^\d{4}-\d\d-\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`${option} "${value}" is not a date.`, { hint: 'Use ISO format, e.g. 2024-01-01 or 2024-01-01T12:00:00.' });
  return ms * 1000;
}

/** `certify-calibrations`, `associate`. */
export function addCalibrationCommands(program: Command): void {
  program
    .command('certify-calibrations')
    .description('Certify the calibrations of one type found in INPUT_COLLECTION into CALIBRATION collection OUTPUT_COLLECTION')
    .argument('<repo>')
    .argument('<input-collection>')
    .argument('<output-collection>')
    .argument('<dataset-type>')
    .option('--begin-date <date>', 'start of the validity range (unbounded if omitted)')
    .option('--end-date <date>', 'end of the validity range, exclusive (unbounded if omitted)')
    .option('--search-all-inputs', 'certify every dataset of the type in the input chain, not only the first per data ID')
    .action(async (repo: string, input: string, output: string, datasetType: string, opts: { beginDate?: string; endDate?: string; searchAllInputs?: boolean }) => {
      const timespan = {
        begin: opts.beginDate ? parseDateOption(opts.beginDate, '--begin-date') : null,
        end: opts.endDate ? parseDateOption(opts.endDate, '--end-date') : null,
      };
      await withButler(repo, async (b) => {
        const { refs } = await selectDatasets(b, [datasetType], { collections: [input], findFirst: !opts.searchAllInputs });
        if (refs.length === 0) throw new InvalidInputError(`No ${datasetType} datasets in "${input}".`, { hint: `Check with \`butler-ts query-datasets REPO ${datasetType} --collections ${input}\`.` });
        await b.registry.transaction(async (r) => {
          await r.registerCollection(output, 'CALIBRATION');
          await r.certify(output, refs, timespan);
        });
        process.stdout.write(`Certified ${refs.length} ${datasetType} dataset(s) into ${output} over ${formatTimespan(timespan)}\n`);
      });
    });

  program
    .command('associate')
    .description('Tag datasets into a TAGGED collection (created if needed)')
    .argument('<repo>')
    .argument('<collection>')
    .requiredOption('--collections <names...>', 'collections to take datasets from', collect, [])
    .option('--datasets <globs...>', 'dataset types', collect, [])
    .option('--find-first', 'only the first dataset per data ID')
    .action(async (repo: string, collection: string, opts: { collections: string[]; datasets: string[]; findFirst?: boolean }) => {
      await withButler(repo, async (b) => {
        const { refs } = await selectDatasets(b, splitCommas(opts.datasets), { collections: opts.collections, findFirst: Boolean(opts.findFirst) });
        await b.registry.transaction(async (r) => {
          await r.registerCollection(collection, 'TAGGED');
          await r.associate(collection, refs);
        });
        process.stdout.write(`Associated ${refs.length} dataset(s) with ${collection}\n`);
      });
    });
}
