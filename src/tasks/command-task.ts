import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { parseCommandConfig, type CommandConfig, type ListFileSpec } from './command-config.js';
import { expandArguments, type TemplateScope } from './command-template.js';
import { TaskFailedError, TaskInputError } from './task-errors.js';
import type { BuiltinTask, InputDataset, OutputRef, TaskContext, TaskOutputs } from './task-types.js';

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function inputPath(ctx: TaskContext, connection: string, input: InputDataset): string {
  if (input.path === undefined) {
    throw new TaskInputError(`task '${ctx.label}': input '${connection}' ${JSON.stringify(input.dataId)} has no file path to give the program`, {
      task: ctx.label,
      key: connection,
      hint: 'command tasks need file-backed inputs',
    });
  }
  return input.path;
}

function listLine(ctx: TaskContext, name: string, spec: ListFileSpec, input: InputDataset, connection: string): string {
  return spec.columns.map((column) => {
    const value = column === 'path' ? inputPath(ctx, connection, input) : input.dataId[column] ?? ctx.dataId[column];
    if (value === undefined) {
      throw new TaskInputError(`task '${ctx.label}': list file '${name}' column '${column}' has no value for input ${JSON.stringify(input.dataId)}`, {
        task: ctx.label,
        key: `listFiles.${name}.columns`,
        hint: "use 'path' or a key of the input's data ID",
      });
    }
    if (/\s/.test(String(value))) {
      throw new TaskInputError(`task '${ctx.label}': list file '${name}' column '${column}' value '${String(value)}' contains blanks, which the blank-separated list format cannot hold`, {
        task: ctx.label,
        key: `listFiles.${name}`,
        hint: 'pass that value on the command line (perFileArgs) instead',
      });
    }
    return String(value);
  }).join(' ');
}

async function writeListFiles(ctx: TaskContext, config: CommandConfig, workDir: string): Promise<Record<string, string[]>> {
  const lists: Record<string, string[]> = {};
  for (const [name, spec] of Object.entries(config.listFiles)) {
    const lines = spec.header ? [`# ${spec.columns.join(' ')}`] : [];
    for (const connection of spec.connections) for (const input of asList(ctx.inputs[connection])) lines.push(listLine(ctx, name, spec, input, connection));
    const file = path.join(workDir, `${ctx.label}-${name}.list`);
    await writeFile(file, `${lines.join('\n')}\n`);
    lists[`listfile:${name}`] = [file];
  }
  return lists;
}

function outputRefs(ctx: TaskContext, workDir: string): Map<string, (OutputRef & { path: string })[]> {
  const refs = new Map<string, (OutputRef & { path: string })[]>();
  for (const [connection, value] of Object.entries(ctx.outputs ?? {})) {
    refs.set(connection, asList(value).map((ref, i) => ({ ...ref, path: ref.path ?? path.join(workDir, `${ctx.label}-${connection}-${i}`) })));
  }
  return refs;
}

function tail(text: string, lines = 20, chars = 2000): string {
  return text.split('\n').slice(-lines).join('\n').slice(-chars);
}

/**
 * Runs an external program for a quantum, in the spirit of DESDM's generic wrapper: arguments
 * from templates filled with the data ID and file paths, optional list files of the inputs,
 * per-input argument groups. The program runs without a shell (an argument array), its stdout
 * and stderr go to the task log, a non-zero exit raises {@link TaskFailedError}, and every
 * predicted output must exist afterwards.
 */
async function runCommand(ctx: TaskContext): Promise<TaskOutputs> {
  const config = parseCommandConfig(ctx.label, ctx.config);
  const workDir = ctx.workDir ?? process.cwd();
  await mkdir(workDir, { recursive: true });
  const outputs = outputRefs(ctx, workDir);
  const lists: Record<string, string[]> = await writeListFiles(ctx, config, workDir);
  for (const [connection, value] of Object.entries(ctx.inputs)) {
    const paths = asList(value).map((input) => inputPath(ctx, connection, input));
    lists[`inputs:${connection}`] = paths;
    lists[`input:${connection}`] = paths;
  }
  for (const [connection, refs] of outputs) {
    lists[`outputs:${connection}`] = refs.map((r) => r.path);
    lists[`output:${connection}`] = refs.map((r) => r.path);
  }
  const scope: TemplateScope = { where: 'config.args', task: ctx.label, values: { ...ctx.dataId, workdir: workDir, label: ctx.label }, lists };
  const args = expandArguments(config.args, scope);
  config.perFileArgs.forEach((group, g) => {
    for (const input of asList(ctx.inputs[group.connection])) {
      const values = { ...scope.values, ...input.dataId, path: inputPath(ctx, group.connection, input) };
      args.push(...expandArguments(group.args, { ...scope, values, where: `config.perFileArgs[${g}].args` }));
    }
  });
  const command = [config.executable, ...args];
  ctx.log.info({ task: ctx.label, command }, 'running command');
  const result = await execa(config.executable, args, {
    cwd: workDir, env: config.env, reject: false, stdin: 'ignore', timeout: config.timeoutSeconds > 0 ? config.timeoutSeconds * 1000 : undefined,
  });
  for (const [stream, text] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
    for (const line of String(text ?? '').split('\n')) if (line !== '') ctx.log.info({ task: ctx.label, stream }, line);
  }
  if (result.failed) {
    const stderrTail = tail(String(result.stderr ?? ''));
    const why = result.timedOut ? `timed out after ${config.timeoutSeconds} s` : result.signal !== undefined ? `was killed by ${result.signal}` : result.exitCode !== undefined ? `exited with code ${result.exitCode}` : `could not start (${result.originalMessage ?? result.shortMessage ?? 'unknown error'})`;
    throw new TaskFailedError(`task '${ctx.label}': command '${config.executable}' ${why}${stderrTail === '' ? '' : `; stderr ends with:\n${stderrTail}`}`, {
      task: ctx.label, command, exitCode: result.exitCode, signal: result.signal, stderrTail, cause: result,
      hint: result.exitCode === undefined && !result.timedOut && result.signal === undefined ? `check that '${config.executable}' exists and is executable` : 'see the task log for the full output',
    });
  }
  const produced: TaskOutputs = {};
  for (const [connection, refs] of outputs) {
    for (const ref of refs) {
      try {
        await access(ref.path);
      } catch {
        throw new TaskFailedError(`task '${ctx.label}': command '${config.executable}' exited 0 but did not write output '${connection}' (${ref.datasetType} ${JSON.stringify(ref.dataId)}) at '${ref.path}'`, {
          task: ctx.label, command, exitCode: result.exitCode, hint: `make the program write '{output:${connection}}', or pass that path in config.args`,
        });
      }
    }
    const list = refs.map((ref) => ({ dataId: ref.dataId, path: ref.path }));
    const predicted = ctx.outputs?.[connection];
    produced[connection] = Array.isArray(predicted) ? list : list[0]!;
  }
  return produced;
}

/** Class name under which pipelines name the command task. */
export const commandTaskClassName = 'bps_ts.tasks.CommandTask';

/** The generic command task (no loading of inputs: it passes paths). */
export const commandTask: BuiltinTask = { className: commandTaskClassName, loadInputs: false, run: runCommand };
