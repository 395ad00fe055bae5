import type { SubmitOptions, SubmitResult } from '../site-plugin.js';
import { pilotRunId, runPilotCoordinator } from './run-coordinator.js';

/**
 * The pilot site's submit: the coordinator runs inside the driver (`bps-ts submit` in the
 * foreground or its detached driver), so this returns when the workflow has ended.
 */
export async function submitPilot(options: SubmitOptions): Promise<SubmitResult> {
  await runPilotCoordinator(options);
  return { siteRunId: pilotRunId(options.workflow.name), finished: true };
}
