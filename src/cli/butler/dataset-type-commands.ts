import type { Command } from 'commander';
import { describeDatasetType } from '../../registry/index.js';
import { formatTable } from '../../util/index.js';
import { printResult } from '../run-cli.js';
import { withButler } from './with-butler.js';

/** `register-dataset-type`, `query-dataset-types`, `remove-dataset-type`. */
export function addDatasetTypeCommands(program: Command): void {
  program
    .command('register-dataset-type')
    .description('Register a dataset type (identical re-registration is a no-op)')
    .argument('<repo>')
    .argument('<name>', 'dataset type name')
    .argument('<storage-class>', 'storage class, e.g. ExposureF, SourceCatalog, StructuredDataDict')
    .argument('[dimensions...]', 'dimensions, e.g. instrument visit detector')
    .option('--is-calibration', 'datasets of this type are calibrations (certified with validity ranges)')
    .action(async (repo: string, name: string, storageClass: string, dimensions: string[], opts: { isCalibration?: boolean }) => {
      await withButler(repo, async (b) => {
        const { datasetType, created } = await b.registry.registerDatasetType({ name, storageClass, dimensions, isCalibration: Boolean(opts.isCalibration) });
        process.stderr.write(`${created ? 'Registered' : 'Already registered'}: ${describeDatasetType(datasetType)}\n`);
      });
    });

  program
    .command('query-dataset-types')
    .description('List registered dataset types')
    .argument('<repo>')
    .argument('[glob...]', 'name patterns')
    .option('--verbose', 'show dimensions and storage class')
    .option('--json', 'print JSON')
    .action(async (repo: string, globs: string[], opts: { verbose?: boolean; json?: boolean }) => {
      await withButler(repo, async (b) => {
        const types = await b.registry.queryDatasetTypes(globs);
        const rows = types.map((t) => ({ name: t.name, dimensions: [...t.dimensions], storageClass: t.storageClass, isCalibration: t.isCalibration }));
        printResult(Boolean(opts.json), rows, () =>
          opts.verbose
            ? formatTable(['name', 'dimensions', 'storageClass', 'isCalibration'], rows.map((r) => [r.name, r.dimensions.join(', '), r.storageClass, r.isCalibration]))
            : formatTable(['name'], rows.map((r) => [r.name])),
        );
      });
    });

  program
    .command('remove-dataset-type')
    .description('Remove a dataset type that has no datasets')
    .argument('<repo>')
    .argument('<name>')
    .action(async (repo: string, name: string) => {
      await withButler(repo, (b) => b.registry.removeDatasetType(name));
    });
}
