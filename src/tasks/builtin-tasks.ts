import { assembleCoaddTask } from './builtin/assemble-coadd-task.js';
import { calibrateTask } from './builtin/calibrate-task.js';
import { characterizeTask } from './builtin/characterize-task.js';
import { detectCoaddSourcesTask, mergeDetectionsTask } from './builtin/coadd-detection-tasks.js';
import { forcedPhotCoaddTask, measureMergedCoaddSourcesTask, mergeMeasurementsTask } from './builtin/coadd-measurement-tasks.js';
import { isrTask } from './builtin/isr-task.js';
import { makeWarpTask } from './builtin/make-warp-task.js';
import { noOpTask } from './builtin/no-op-task.js';
import { processCcdTask } from './builtin/process-ccd-task.js';
import { commandTask } from './command-task.js';
import { TaskInputError } from './task-errors.js';
import type { BuiltinTask } from './task-types.js';

const builtinTasks: ReadonlyMap<string, BuiltinTask> = new Map(
  [
    isrTask, processCcdTask, characterizeTask, calibrateTask, makeWarpTask, assembleCoaddTask, detectCoaddSourcesTask, mergeDetectionsTask,
    measureMergedCoaddSourcesTask, mergeMeasurementsTask, forcedPhotCoaddTask, commandTask, noOpTask,
  ].map((t) => [t.className, t]),
);

/** Class names of every built-in task. */
export function listBuiltinTasks(): string[] {
  return [...builtinTasks.keys()];
}

/** True when bps-ts can run this class itself. */
export function hasBuiltinTask(className: string): boolean {
  return builtinTasks.has(className);
}

/** The built-in task of a class (static map; nothing is loaded by name); throws listing the known classes. */
export function getBuiltinTask(className: string): BuiltinTask {
  const task = builtinTasks.get(className);
  if (task === undefined) {
    throw new TaskInputError(`no built-in task for class '${className}'`, {
      key: className,
      hint: `built-in classes: ${listBuiltinTasks().join(', ')}; run other programs with ${'bps_ts.tasks.CommandTask'}`,
    });
  }
  return task;
}
