import type { BuiltinTask } from '../task-types.js';

/** Class name of {@link noOpTask}. */
export const NO_OP_TASK_CLASS = 'bps_ts.tasks.NoOpTask';

/**
 * A task that does nothing: its quanta produce only the automatic outputs (`_metadata`,
 * `_log`) that every quantum writes. Used to measure the overhead of the execution
 * machinery (benchmarks, site tests).
 */
export const noOpTask: BuiltinTask = {
  className: NO_OP_TASK_CLASS,
  loadInputs: false,
  run: async () => ({}),
};
