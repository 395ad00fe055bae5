import type { Command } from 'commander';
import {
  IngestRawsError, defineVisits, ingestRaws, makeDemoDataWithCalibs, registerInstrument, registerSkymap, setupDemoRepo, type OverlapCounts,
} from '../../butler/index.js';
import { parseTransferMode } from '../../datastore/index.js';
import { UsageError } from '../../errors/index.js';
import { createLogger } from '../../util/index.js';
import { collect, printResult, splitCommas } from '../run-cli.js';
import { withButler } from './with-butler.js';

function integerOption(value: string, option: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${option} "${value}" is not an integer of at least ${min}.`);
  return n;
}

function positiveInt(value: string, option: string): number {
  return integerOption(value, option, 1);
}

function formatOverlaps(o: OverlapCounts): string {
  return `new overlaps: ${o.visitPatch} visit-patch, ${o.visitTract} visit-tract, ${o.detectorPatch} visit-detector-patch, ${o.detectorTract} visit-detector-tract`;
}

/** `register-instrument`, `ingest-raws`, `define-visits`, `register-skymap`, `make-demo-data`, `setup-demo`. */
export function addObservationCommands(program: Command): void {
  program
    .command('register-instrument')
    .description('Register an instrument (shipped name, class path or YAML file): its records, standard collections and the raw dataset type')
    .argument('<repo>')
    .argument('<instrument>', 'name (DemoCam, HSC), class path, or instrument YAML file')
    .option('--json', 'print JSON')
    .action(async (repo: string, what: string, opts: { json?: boolean }) => {
      const r = await withButler(repo, (b) => registerInstrument(b, what));
      const value = { instrument: r.instrument.name, recordsInserted: r.recordsInserted, collectionsCreated: r.collectionsCreated, datasetTypeCreated: r.datasetTypeCreated };
      printResult(Boolean(opts.json), value, () =>
        r.recordsInserted === 0 && r.collectionsCreated.length === 0 && !r.datasetTypeCreated
          ? `Instrument ${r.instrument.name} is already registered; nothing changed.`
          : `Registered instrument ${r.instrument.name}: ${r.recordsInserted} dimension record(s), collections ${r.collectionsCreated.join(', ') || '(existing)'}, dataset type raw.`,
      );
    });

  program
    .command('ingest-raws')
    .description('Ingest raw FITS files (or directories of them), reading only their headers')
    .argument('<repo>')
    .argument('<paths...>', 'raw files or directories (searched recursively for *.fits)')
    .option('-t, --transfer <mode>', 'auto, copy, move, symlink, relsymlink, hardlink, link, direct', 'auto')
    .option('--output-run <run>', 'RUN collection (default <INSTRUMENT>/raw/all)')
    .option('-j, --processes <n>', 'headers read in parallel', '4')
    .option('--fail-fast', 'ingest nothing if any file fails')
    .option('--skip-existing', 'pass over files already ingested into the run instead of failing them')
    .option('--instrument <name>', 'read every file as this registered instrument (default: from the INSTRUME keyword)')
    .option('--json', 'print JSON')
    .action(async (repo: string, paths: string[], opts: { transfer: string; outputRun?: string; processes: string; failFast?: boolean; skipExisting?: boolean; instrument?: string; json?: boolean }) => {
      const jobs = positiveInt(opts.processes, '--processes');
      const r = await withButler(repo, (b) =>
        ingestRaws(b, {
          paths, transfer: parseTransferMode(opts.transfer), jobs, failFast: Boolean(opts.failFast), skipExisting: Boolean(opts.skipExisting),
          ...(opts.outputRun ? { run: opts.outputRun } : {}), ...(opts.instrument ? { instrument: opts.instrument } : {}), logger: createLogger(),
        }),
      );
      const runs = [...new Set(r.refs.map((ref) => ref.run))];
      printResult(Boolean(opts.json), { ingested: r.refs.length, runs, skipped: r.skipped, failures: r.failures }, () =>
        `Ingested ${r.refs.length} of ${r.files} raw file(s)${runs.length ? ` into ${runs.join(', ')}` : ''}; ${r.skipped.length} already ingested; ${r.failures.length} failed.`,
      );
      if (r.failures.length > 0) throw new IngestRawsError(r.failures, { ingested: r.refs.length });
    });

  program
    .command('define-visits')
    .description('Define one visit per science exposure, with visit and visit-detector regions and skymap overlaps')
    .argument('<repo>')
    .argument('<instrument>')
    .option('--collections <names...>', 'collections searched for raws (default <INSTRUMENT>/raw/all)', collect, [])
    .option('--json', 'print JSON')
    .action(async (repo: string, instrument: string, opts: { collections: string[]; json?: boolean }) => {
      const collections = splitCommas(opts.collections);
      const r = await withButler(repo, (b) => defineVisits(b, { instrument, ...(collections.length ? { collections } : {}), logger: createLogger() }));
      printResult(Boolean(opts.json), r, () =>
        `Defined ${r.visits} visit(s) of ${instrument} (${r.visitsCreated} new) with ${r.visitDetectorRegions} visit-detector region(s); ${formatOverlaps(r.overlaps)}.`,
      );
    });

  program
    .command('register-skymap')
    .description('Register a skymap (shipped name or YAML file): skymap, tract and patch records, and overlaps with defined visits')
    .argument('<repo>')
    .argument('<config>', 'skymap name (demo, rings) or skymap YAML file')
    .option('--json', 'print JSON')
    .action(async (repo: string, config: string, opts: { json?: boolean }) => {
      const r = await withButler(repo, (b) => registerSkymap(b, config, { logger: createLogger() }));
      printResult(Boolean(opts.json), r, () =>
        `${r.created ? 'Registered' : 'Already registered:'} skymap ${r.name} (${r.tracts} tract(s), ${r.patches} patch(es), hash ${r.hash.slice(0, 12)}); ${formatOverlaps(r.overlaps)}.`,
      );
    });

  program
    .command('make-demo-data')
    .description('Write synthetic DemoCam raws, a reference catalogue and master calibrations (with ingest tables) into DIR')
    .argument('<dir>')
    .option('--seed <n>', 'random seed', '1')
    .option('--bands <list>', 'comma-separated bands', 'i,r')
    .option('--visits-per-band <n>', 'science visits per band', '4')
    .option('--detectors <list>', 'comma-separated detector ids (default: all)')
    .option('--repo <repo>', 'also set up this existing repository from the data (as setup-demo does)')
    .option('--json', 'print JSON')
    .action(async (dir: string, opts: { seed: string; bands: string; visitsPerBand: string; detectors?: string; repo?: string; json?: boolean }) => {
      const seed = integerOption(opts.seed, '--seed', 0);
      const detectors = opts.detectors === undefined ? undefined : splitCommas([opts.detectors]).map((d) => integerOption(d, '--detectors', 0));
      const data = await makeDemoDataWithCalibs({
        dir, seed, bands: splitCommas([opts.bands]), visitsPerBand: positiveInt(opts.visitsPerBand, '--visits-per-band'), ...(detectors ? { detectors } : {}),
      });
      const summary = { raw: data.rawFiles.length, calibs: data.calibs.length, refcat: data.refcatPath, calibTables: data.calibTables };
      printResult(Boolean(opts.json), summary, () => `Wrote ${data.rawFiles.length} raw file(s), ${data.calibs.length} master calibration(s) and the reference catalogue into ${dir}.`);
      if (opts.repo) await withButler(opts.repo, (b) => setupDemoRepo(b, { dir, onStep: (s) => process.stdout.write(`${s.step}: ${s.summary}\n`) }));
    });

  program
    .command('setup-demo')
    .description('Fill an existing repository from a make-demo-data folder: instrument, raws, visits, skymap, calibrations, refcat, DemoCam/defaults')
    .argument('<repo>')
    .argument('<dir>', 'folder written by make-demo-data')
    .option('-j, --processes <n>', 'raw headers read in parallel', '4')
    .option('--json', 'print JSON')
    .action(async (repo: string, dir: string, opts: { processes: string; json?: boolean }) => {
      const jobs = positiveInt(opts.processes, '--processes');
      const steps = await withButler(repo, (b) => setupDemoRepo(b, { dir, jobs, ...(opts.json ? {} : { onStep: (s) => process.stdout.write(`${s.step}: ${s.summary}\n`) }) }));
      if (opts.json) printResult(true, steps, () => '');
    });
}
