import { UsageError } from '../errors/index.js';
import { CollectionRulesError, MissingCollectionError } from './graph-errors.js';
import type { GraphRegistry } from './graph-registry.js';

/** Collection options of `qg build` (the reference's `-i`, `-o`, `--output-run`...). */
export interface CollectionOptions {
  /** `-i`: input collections, in search order. May be empty when the output chain exists. */
  readonly inputs: readonly string[];
  /** `-o`: the CHAINED output collection ([outputRun, ...inputs] once executed). */
  readonly output?: string;
  /** `--output-run`; default `<output>/<UTC timestamp>`, or the chain's first run with `--extend-run`. */
  readonly outputRun?: string;
  readonly extendRun?: boolean;
  readonly replaceRun?: boolean;
  /** Accept inputs that differ from those the existing output chain was made with. */
  readonly rebase?: boolean;
  readonly skipExistingIn?: readonly string[];
  /** Skip quanta whose `<label>_metadata` is already in the output run. */
  readonly skipExisting?: boolean;
  /** Time used for the default run name (tests pass a fixed one). */
  readonly now?: Date;
}

/** What the collection rules decided. */
export interface ResolvedCollections {
  /** Input collections as recorded in the graph (given, or those of the existing chain). */
  readonly inputs: readonly string[];
  /** Where regular inputs and prerequisites are searched for. */
  readonly searchPath: readonly string[];
  readonly outputCollection: string;
  readonly outputRun: string;
  readonly outputRunExists: boolean;
  /** Children of the existing output chain, if it exists. */
  readonly existingChain: readonly string[] | undefined;
  readonly skipExistingIn: readonly string[];
  /** Human-readable notes (rebase, replaced run...). */
  readonly notes: readonly string[];
}

/** `20240904T113949Z`, the reference's run timestamp. */
export function formatRunTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

const quoteList = (names: readonly string[]): string => `[${names.map((n) => `"${n}"`).join(', ')}]`;

/**
 * Applies the reference's rules for input and output collections (nothing is written): inputs
 * must exist; an existing output must be a CHAINED collection whose chain ends with the given
 * inputs (unless `rebase`); an existing output run needs `extendRun`; `extendRun` needs one;
 * `replaceRun` needs an existing output chain.
 */
export async function resolveCollections(registry: GraphRegistry, options: CollectionOptions): Promise<ResolvedCollections> {
  const { output } = options;
  if (output === undefined && options.outputRun === undefined) {
    throw new UsageError('No output collection given.', { hint: 'Pass -o OUTPUT (a chained collection made of the new run and the inputs), or --output-run RUN.' });
  }
  for (const name of options.inputs) await requireCollection(registry, name, 'Input');
  const notes: string[] = [];
  let searchPath: string[] = [...options.inputs];
  let inputs: string[] = [...options.inputs];
  let existingChain: string[] | undefined;
  if (output !== undefined) {
    const record = await registry.findCollection(output);
    if (record !== undefined && record.type !== 'CHAINED') {
      throw new CollectionRulesError(`Output collection "${output}" exists and is a ${record.type} collection, not a CHAINED one.`, {
        collection: output,
        hint: `-o names a chain [output run, ...inputs]; write into "${output}" with --output-run ${output} --extend-run, or choose another -o.`,
      });
    }
    if (record !== undefined) {
      existingChain = await registry.getCollectionChain(output);
      const chain = existingChain;
      checkChainInputs(output, chain, options, notes);
      if (options.rebase && options.inputs.length > 0) {
        const runs = chain.filter((c) => c.startsWith(`${output}/`) && !options.inputs.includes(c));
        searchPath = [...(options.replaceRun ? runs.slice(1) : runs), ...options.inputs];
      } else {
        searchPath = options.replaceRun ? chain.slice(1) : [output];
        if (options.inputs.length === 0) inputs = options.replaceRun ? chain.slice(1) : chain.filter((c) => !c.startsWith(`${output}/`));
      }
      if (options.replaceRun) notes.push(`--replace-run: "${chain[0] ?? ''}" will be replaced by the new run in chain "${output}"`);
    } else {
      if (options.inputs.length === 0) {
        throw new UsageError(`Output collection "${output}" does not exist yet and no input collections were given.`, { hint: 'Pass -i with the collections holding the inputs (raws, calibrations, skymap).' });
      }
      if (options.replaceRun) {
        throw new CollectionRulesError(`--replace-run needs an existing output chain, but "${output}" does not exist.`, { collection: output, hint: 'Drop --replace-run for the first run into a new output collection.' });
      }
    }
  } else if (options.inputs.length === 0) {
    throw new UsageError('No input collections given.', { hint: 'Pass -i with the collections holding the inputs.' });
  }
  const outputRun = await pickOutputRun(options, existingChain);
  const runRecord = await registry.findCollection(outputRun);
  if (runRecord !== undefined && runRecord.type !== 'RUN') {
    throw new CollectionRulesError(`Output run "${outputRun}" exists and is a ${runRecord.type} collection, not a RUN.`, { collection: outputRun, hint: 'Choose another --output-run.' });
  }
  if (runRecord !== undefined && !options.extendRun) {
    throw new CollectionRulesError(`Output run "${outputRun}" already exists, but --extend-run was not given.`, {
      collection: outputRun,
      hint: 'Pass --extend-run to add to it (with --skip-existing to skip finished quanta), or choose a new --output-run.',
    });
  }
  if (runRecord === undefined && options.extendRun) {
    throw new CollectionRulesError(`Cannot --extend-run: output run "${outputRun}" does not exist.`, { collection: outputRun, hint: 'Drop --extend-run to create the run, or name an existing one with --output-run.' });
  }
  if (options.extendRun && searchPath[0] !== outputRun) searchPath = [outputRun, ...searchPath.filter((c) => c !== outputRun)];
  const skipExistingIn = [...(options.skipExistingIn ?? [])];
  for (const name of skipExistingIn) await requireCollection(registry, name, 'Skip-existing-in');
  if (options.skipExisting && runRecord !== undefined && !skipExistingIn.includes(outputRun)) skipExistingIn.push(outputRun);
  return { inputs, searchPath, outputCollection: output ?? outputRun, outputRun, outputRunExists: runRecord !== undefined, existingChain, skipExistingIn, notes };
}

function checkChainInputs(output: string, chain: readonly string[], options: CollectionOptions, notes: string[]): void {
  const given = options.inputs;
  if (given.length === 0) return;
  const tail = chain.slice(Math.max(0, chain.length - given.length));
  const mismatch = given.length > chain.length || tail.some((c, i) => c !== given[i]);
  if (!mismatch) return;
  if (options.rebase) {
    notes.push(`--rebase: chain "${output}" ${quoteList(chain)} will be rebased onto inputs ${quoteList(given)}`);
    return;
  }
  if (given.length > chain.length) {
    throw new CollectionRulesError(`Cannot add new input collections ${quoteList(given.slice(0, given.length - chain.length))} after output collection "${output}" was created: its chain is ${quoteList(chain)}.`, {
      collection: output,
      hint: `Drop -i to reuse the chain's inputs, pass --rebase to rebase "${output}" onto the new inputs, or choose a new -o.`,
    });
  }
  const at = tail.findIndex((c, i) => c !== given[i]);
  throw new CollectionRulesError(
    `Output CHAINED collection "${output}" exists, but it ends with a different sequence of input collections than those given: "${tail[at] ?? ''}" != "${given[at] ?? ''}" in inputs=${quoteList(given)} vs chain ${quoteList(chain)}.`,
    { collection: output, hint: `Pass the inputs "${output}" was created with, drop -i to reuse them, pass --rebase, or choose a new -o.` },
  );
}

async function pickOutputRun(options: CollectionOptions, chain: readonly string[] | undefined): Promise<string> {
  if (options.outputRun !== undefined) return options.outputRun;
  const output = options.output as string;
  if (options.extendRun) {
    const first = chain?.[0];
    if (first === undefined) {
      throw new CollectionRulesError(`Cannot --extend-run: output collection "${output}" does not exist${chain ? ' or its chain is empty' : ''}.`, { collection: output, hint: 'Drop --extend-run, or name the run to extend with --output-run.' });
    }
    return first;
  }
  return `${output}/${formatRunTimestamp(options.now ?? new Date())}`;
}

async function requireCollection(registry: GraphRegistry, name: string, what: string): Promise<void> {
  if ((await registry.findCollection(name)) !== undefined) return;
  throw new MissingCollectionError(`${what} collection "${name}" does not exist in ${registry.displayUrl}.`, {
    collection: name,
    hint: `List collections with \`butler-ts query-collections REPO\`; check the spelling or ingest the data first.`,
  });
}
