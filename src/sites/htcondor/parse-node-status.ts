import { getAttr, getNumber, getString, parseClassAdSequence, type ClassAd } from './classad-text.js';
import { DagNodeStatus, mapNodeStatus, type HtcondorState } from './htcondor-states.js';

/** The `DagStatus` ad of a node status file. */
export interface DagStatusSummary {
  /** Raw code (node status codes: 3 submitted, 5 done, 6 error). */
  readonly dagStatus: number | undefined;
  readonly state: HtcondorState;
  readonly dagFiles: readonly string[];
  /** Epoch seconds. */
  readonly timestamp: number | undefined;
  readonly nodesTotal: number;
  readonly nodesDone: number;
  readonly nodesPre: number;
  readonly nodesQueued: number;
  readonly nodesPost: number;
  readonly nodesReady: number;
  readonly nodesUnready: number;
  readonly nodesFutile: number;
  readonly nodesFailed: number;
  readonly jobProcsHeld: number;
  readonly jobProcsIdle: number;
}

/** One `NodeStatus` ad. */
export interface NodeStatusEntry {
  readonly node: string;
  readonly nodeStatus: number | undefined;
  readonly state: HtcondorState;
  readonly statusDetails: string;
  readonly retryCount: number;
  readonly jobProcsQueued: number;
  readonly jobProcsHeld: number;
}

/** A parsed node status file. */
export interface NodeStatusFile {
  readonly dag: DagStatusSummary | undefined;
  readonly nodes: readonly NodeStatusEntry[];
  /** Epoch seconds of the `StatusEnd` ad; `undefined` when the file has none (partly written). */
  readonly endTime: number | undefined;
  /** 0 when DAGMan will not update the file again (the DAG finished or was removed). */
  readonly nextUpdate: number | undefined;
}

/** State of the whole DAG from its `DagStatus` code (node status codes). */
function mapDagStatus(code: number | undefined): HtcondorState {
  switch (code) {
    case DagNodeStatus.notReady:
    case DagNodeStatus.ready:
      return 'PENDING';
    case DagNodeStatus.preRun:
    case DagNodeStatus.submitted:
    case DagNodeStatus.postRun:
      return 'RUNNING';
    case DagNodeStatus.done:
      return 'SUCCEEDED';
    case DagNodeStatus.error:
      return 'FAILED';
    default:
      return 'UNKNOWN';
  }
}

function summarizeDag(ad: ClassAd): DagStatusSummary {
  const n = (name: string): number => getNumber(ad, name) ?? 0;
  const files = getAttr(ad, 'DagFiles');
  const dagStatus = getNumber(ad, 'DagStatus');
  return {
    dagStatus,
    state: mapDagStatus(dagStatus),
    dagFiles: Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [],
    timestamp: getNumber(ad, 'Timestamp'),
    nodesTotal: n('NodesTotal'),
    nodesDone: n('NodesDone'),
    nodesPre: n('NodesPre'),
    nodesQueued: n('NodesQueued'),
    nodesPost: n('NodesPost'),
    nodesReady: n('NodesReady'),
    nodesUnready: n('NodesUnready'),
    nodesFutile: n('NodesFutile'),
    nodesFailed: n('NodesFailed'),
    jobProcsHeld: n('JobProcsHeld'),
    jobProcsIdle: n('JobProcsIdle'),
  };
}

/**
 * Parses a DAGMan node status file (`NODE_STATUS_FILE`, ClassAd format since HTCondor
 * 8.1.6): one `DagStatus` ad, one `NodeStatus` ad per node, one `StatusEnd` ad.
 */
export function parseNodeStatus(text: string, source = 'node status file'): NodeStatusFile {
  let dag: DagStatusSummary | undefined;
  const nodes: NodeStatusEntry[] = [];
  let endTime: number | undefined;
  let nextUpdate: number | undefined;
  for (const ad of parseClassAdSequence(text, source)) {
    const type = getString(ad, 'Type');
    if (type === 'DagStatus') dag = summarizeDag(ad);
    else if (type === 'StatusEnd') {
      endTime = getNumber(ad, 'EndTime');
      nextUpdate = getNumber(ad, 'NextUpdate');
    } else if (type === 'NodeStatus') {
      const nodeStatus = getNumber(ad, 'NodeStatus');
      const statusDetails = getString(ad, 'StatusDetails') ?? '';
      const jobProcsHeld = getNumber(ad, 'JobProcsHeld') ?? 0;
      nodes.push({
        node: getString(ad, 'Node') ?? '',
        nodeStatus,
        state: mapNodeStatus({ nodeStatus, statusDetails, jobProcsHeld }),
        statusDetails,
        retryCount: getNumber(ad, 'RetryCount') ?? 0,
        jobProcsQueued: getNumber(ad, 'JobProcsQueued') ?? 0,
        jobProcsHeld,
      });
    }
  }
  return { dag, nodes, endTime, nextUpdate };
}
