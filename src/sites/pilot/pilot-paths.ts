import { join } from 'node:path';

/** Files of the pilot site inside a submit directory. */
export interface PilotPaths {
  readonly root: string;
  /** Block scripts and the blocks' Slurm logs. */
  readonly blocks: string;
  /** Settings written by prepare. */
  readonly settings: string;
  /** Where the running coordinator listens (0600). */
  readonly coordinator: string;
  /** Blocks and workers, for reports and for a restarted coordinator. */
  readonly state: string;
}

/** The pilot site's files under `<submit>/pilot/`. */
export function pilotPaths(submitPath: string): PilotPaths {
  const root = join(submitPath, 'pilot');
  return { root, blocks: join(root, 'blocks'), settings: join(root, 'pilot-site.json'), coordinator: join(root, 'coordinator.json'), state: join(root, 'pilot-state.json') };
}
