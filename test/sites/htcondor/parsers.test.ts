import { describe, expect, it } from 'vitest';
import {
  classifyHold,
  mapJobStatus,
  mergeQueueAndHistory,
  parseClassAdSequence,
  parseCondorJobs,
  parseJobstateLog,
  parseNodeStatus,
  parseRescueDag,
  parseSubmitClusterId,
  parseUserLog,
  summarizeJobstate,
  summarizeUserLog,
} from '../../../src/sites/htcondor/index.js';
import { readFixture } from './htcondor-test-support.js';

describe('node status file (recorded, HTCondor 23.0.3)', () => {
  it('reads a failed run: DAG error, a futile node, the final node failed by its POST script', () => {
    const status = parseNodeStatus(readFixture('tiny_problems.node_status'));
    expect(status.dag).toMatchObject({ dagStatus: 6, state: 'FAILED', nodesTotal: 6, nodesDone: 3, nodesFailed: 2, nodesFutile: 1, timestamp: 1739469648 });
    expect(status.dag?.dagFiles).toEqual(['/work/testuser/submit/u/testuser/tiny/20250213T175935Z/u_testuser_tiny_20250213T175935Z.dag']);
    expect(status.nodes.map((n) => n.state)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED', 'BLOCKED', 'SUCCEEDED', 'FAILED']);
    expect(status.nodes[1]!.statusDetails).toBe('Job proc (9231.0.0) failed with status 1');
    expect(status.nodes[5]).toMatchObject({ node: 'finalJob', statusDetails: 'Job failed due to DAGMAN error 0 and POST Script failed with status 2' });
    expect(status.nextUpdate).toBe(0);
  });

  it('reads a running run: one node running, the others not ready', () => {
    const status = parseNodeStatus(readFixture('tiny_running.node_status'));
    expect(status.dag).toMatchObject({ state: 'RUNNING', nodesQueued: 1, nodesUnready: 2 });
    expect(status.nodes.map((n) => [n.node.slice(0, 8), n.state])).toEqual([
      ['pipetask', 'SUCCEEDED'],
      ['ca27ea57', 'RUNNING'],
      ['dbf919fa', 'PENDING'],
      ['finalJob', 'PENDING'],
    ]);
    expect(status.nextUpdate).toBe(1740499502);
  });

  it('says a node whose proc is held is HELD and an idle one is PENDING', () => {
    const text = '[ Type = "NodeStatus"; Node = "a"; NodeStatus = 3; StatusDetails = "idle"; RetryCount = 0; JobProcsQueued = 1; JobProcsHeld = 1; ]\n[ Type = "NodeStatus"; Node = "b"; NodeStatus = 3; StatusDetails = "idle"; JobProcsHeld = 0; ]';
    expect(parseNodeStatus(text).nodes.map((n) => n.state)).toEqual(['HELD', 'PENDING']);
  });

  it('names the line of a truncated file', () => {
    expect(() => parseNodeStatus('[\n  Type = "DagStatus";\n  DagStatus = ', 'x.node_status')).toThrow(/x\.node_status: .* at line 3/);
  });

  it('keeps expressions, lists and comments apart in ClassAd text', () => {
    const [ad] = parseClassAdSequence('[ A = { "x", "y;z" }; /* c ; ] */ B = a + (1); C = "q\\"uote"; D = 1.5e3; E = undefined ]');
    expect(ad).toEqual({ A: ['x', 'y;z'], B: { expr: 'a + (1)' }, C: 'q"uote', D: 1500, E: null });
  });
});

describe('job event logs (recorded)', () => {
  it('follows each DAG node job to its end', () => {
    const jobs = summarizeUserLog(parseUserLog(readFixture('tiny_problems.dag.nodes.log')));
    const byNode = Object.fromEntries(jobs.map((j) => [j.dagNode, j]));
    expect(byNode['pipetaskInit']).toMatchObject({ clusterId: 9230, state: 'SUCCEEDED', exitCode: 0, starts: 1 });
    expect(byNode['057c8caf-66f6-4612-abf7-cdea5b666b1b_label1_val1a_val2b']).toMatchObject({ state: 'FAILED', exitCode: 1 });
    expect(byNode['provisioningJob']).toMatchObject({ state: 'DELETED' });
    expect(byNode['finalJob']).toMatchObject({ state: 'SUCCEEDED', clusterId: 9234 });
  });

  it('reads the abort reason and the POST script result', () => {
    const events = parseUserLog(readFixture('tiny_problems.dag.nodes.log'));
    expect(events.find((e) => e.code === 9)?.reason).toBe('DAG Abort: DAG is exiting and writing rescue file. (by user testuser)');
    expect(events.find((e) => e.code === 16)).toMatchObject({ dagNode: 'finalJob', returnValue: 2 });
  });

  it("reads DAGMan's own log and a successful run", () => {
    const dagman = summarizeUserLog(parseUserLog(readFixture('tiny_problems.dag.dagman.log')));
    expect(dagman).toEqual([expect.objectContaining({ clusterId: 9228, state: 'FAILED', exitCode: 1 })]);
    const ok = summarizeUserLog(parseUserLog(readFixture('tiny_success.dag.nodes.log')));
    expect(ok.filter((j) => j.dagNode !== 'provisioningJob').every((j) => j.state === 'SUCCEEDED')).toBe(true);
  });

  it('reads hold, release and requeue events in the format condor_event.cpp writes', () => {
    const text = [
      '012 (042.000.000) 2025-02-13 12:00:19 Job was held.',
      '\tJob has gone over cgroup memory limit of 2048 megabytes. Last measured usage: 2301 megabytes.  Consider resubmitting with a higher request_memory.',
      '\tCode 34 Subcode 102',
      '...',
      '013 (042.000.000) 2025-02-13 12:00:20 Job was released.',
      "\tThe job attribute PeriodicRelease expression 'x' evaluated to TRUE",
      '...',
      '004 (042.000.000) 2025-02-13 12:00:30 Job was evicted.',
      '\t(0) Job terminated and was requeued',
      '\t(1) Normal termination (return value 3)',
      '...',
      '012 (043.000.000) 2025-02-13 12:00:31 Job was held.',
      '\tJob raised a signal 9. Handling job as if it has gone over memory limit.',
      '\tCode 3 Subcode 34',
      '...',
      '001 (044.000.000) 2025-02-13 12:00:32 Job executing on host: <1.2.3.4:9618>',
    ].join('\n');
    const events = parseUserLog(text);
    expect(events).toHaveLength(4); // the trailing event has no "..." yet
    expect(events[0]).toMatchObject({ code: 12, holdCode: 34, holdSubcode: 102 });
    expect(events[2]).toMatchObject({ requeued: true, returnValue: 3 });
    const jobs = summarizeUserLog(events);
    expect(jobs[0]).toMatchObject({ state: 'PENDING', holds: 1, lastHoldKind: 'memory' });
    expect(jobs[1]).toMatchObject({ state: 'HELD', lastHoldKind: 'memory' });
  });
});

describe('jobstate.log', () => {
  it('reads the manual example', () => {
    const events = parseJobstateLog(readFixture('jobstate-manual.log'));
    expect(events[0]).toEqual({ time: 1292620511, node: 'INTERNAL', event: 'DAGMAN_STARTED', value: '4972.0', jobTag: null, sequence: null });
    const summary = summarizeJobstate(events);
    expect(summary).toMatchObject({ dagmanJobId: '4972.0', dagmanExitCode: 0 });
    expect(summary.nodes.get('NodeA')).toMatchObject({ state: 'SUCCEEDED', attempts: 1, lastJobId: '4973.0', exitCode: 0 });
  });

  it('counts DAG retries and reads submit failures', () => {
    const summary = summarizeJobstate(parseJobstateLog(readFixture('jobstate-retries.log')));
    expect(summary.dagmanExitCode).toBeNull();
    expect(summary.nodes.get('NodeD')).toMatchObject({ state: 'SUCCEEDED', attempts: 2, lastJobId: '4981.0' });
    expect(summary.nodes.get('NodeE')?.state).toBe('SUCCEEDED');
  });

  it('names a malformed line', () => {
    expect(() => parseJobstateLog('1 a b\n', 'x.jobstate.log')).toThrow(/x\.jobstate\.log: line 1/);
  });
});

describe('rescue DAG (recorded)', () => {
  it('lists the DONE nodes and the failed nodes of the header', () => {
    const rescue = parseRescueDag(readFixture('tiny_problems.dag.rescue001'));
    expect(rescue.done).toEqual(['pipetaskInit', '4a7f478b-2e9b-435c-a730-afac3f621658_label1_val1a_val2a', '696ee50d-e711-40d6-9caf-ee29ae4a656d_label2_val1a_val2a']);
    expect(rescue.failed).toEqual(['057c8caf-66f6-4612-abf7-cdea5b666b1b_label1_val1a_val2b', 'finalJob']);
  });
});

describe('condor_q / condor_history -json', () => {
  const queue = parseCondorJobs(readFixture('condor_q-dag.json'));
  const history = parseCondorJobs(readFixture('condor_history-dag.json'), 'condor_history -json output');

  it('reads the DAGMan job with its bps attributes', () => {
    expect(queue[0]).toMatchObject({ id: '9228.0', isDagman: true, state: 'RUNNING' });
    expect(queue[0]!.bps).toMatchObject({ bps_run: 'u_testuser_tiny_20250213T175935Z', bps_job_summary: 'pipetaskInit:1;label1:2;label2:2;finalJob:1' });
  });

  it('keeps expressions as expressions and classifies a memory hold', () => {
    expect(queue[1]!.ad['RequestMemory']).toMatchObject({ expr: expect.stringContaining('NumJobStarts') });
    expect(queue[1]!.requestMemory).toBeUndefined();
    expect(queue[2]).toMatchObject({ state: 'HELD', holdKind: 'memory', holdReasonCode: 34, holdReasonSubCode: 102, memoryUsage: 2301, dagmanJobId: 9228 });
  });

  it('prefers the history record of a job found in both', () => {
    const merged = mergeQueueAndHistory(queue, history);
    expect(merged.map((j) => [j.id, j.state])).toEqual([
      ['9228.0', 'RUNNING'],
      ['9229.0', 'DELETED'],
      ['9230.0', 'SUCCEEDED'],
      ['9231.0', 'FAILED'],
      ['9232.0', 'HELD'],
    ]);
  });

  it('reads empty output (nothing matched) as no jobs and refuses non-JSON', () => {
    expect(parseCondorJobs('')).toEqual([]);
    expect(() => parseCondorJobs('-- Schedd: x')).toThrow(/not valid JSON/);
  });

  it('reads the cluster id condor_submit_dag prints', () => {
    expect(parseSubmitClusterId('Submitting job(s).\n1 job(s) submitted to cluster 9228.\n')).toBe(9228);
    expect(() => parseSubmitClusterId('ERROR: no such file')).toThrow(/no cluster id/);
  });
});

describe('state mapping', () => {
  it('maps every JobStatus code', () => {
    const states = [0, 1, 2, 3, 4, 5, 6, 7, 42].map((s) => mapJobStatus({ jobStatus: s, exitCode: 0 }));
    expect(states).toEqual(['PENDING', 'PENDING', 'RUNNING', 'DELETED', 'SUCCEEDED', 'HELD', 'RUNNING', 'HELD', 'UNKNOWN']);
    expect(mapJobStatus({ jobStatus: 4, exitCode: 0, exitBySignal: true })).toBe('FAILED');
  });

  it('classifies memory holds of old and new HTCondor versions and of the generated on_exit_hold', () => {
    expect(classifyHold(34, 0, undefined)).toBe('memory');
    expect(classifyHold(34, 102, undefined)).toBe('memory');
    expect(classifyHold(21, 102, 'memory usage exceeded request_memory')).toBe('memory');
    expect(classifyHold(3, 34, 'Job raised a signal 9.')).toBe('memory');
    expect(classifyHold(26, 0, 'memory usage exceeded request_memory')).toBe('memory');
    expect(classifyHold(34, 104, 'Disk usage exceeded')).toBe('other');
    expect(classifyHold(1, 0, 'via condor_hold')).toBe('user');
    expect(classifyHold(3, 0, 'periodic hold')).toBe('policy');
  });
});
