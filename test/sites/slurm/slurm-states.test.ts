import { describe, expect, it } from 'vitest';
import {
  decodeExitPair, decodeWaitStatus, isFinalState, mapSlurmState, mergeJobStatus, parseWrapperStatus, type WrapperStatus,
} from '../../../src/sites/slurm/index.js';

function wrapper(fields: Partial<Record<string, unknown>>): WrapperStatus {
  return parseWrapperStatus(JSON.stringify({
    version: 1, state: 'exited', slurmJobId: '7', arrayTaskId: null, host: 'vm', start: '2026-01-02T03:04:05.678Z',
    end: '2026-01-02T03:04:06.000Z', exitCode: 0, signal: null, peakRssKb: 1234, peakMemoryProbe: 'gnu-time', ...fields,
  }), '/tmp/status.json');
}

describe('mapSlurmState', () => {
  it.each([
    ['PENDING', 'Priority', 'PENDING', false],
    ['PENDING', 'Dependency', 'PENDING', false],
    ['PENDING', 'DependencyNeverSatisfied', 'BLOCKED', false],
    ['CANCELLED', 'DependencyNeverSatisfied', 'BLOCKED', false],
    ['PENDING', 'JobHeldUser', 'HELD', false],
    ['PENDING', 'JobHeldAdmin', 'HELD', false],
    ['REQUEUED', 'None', 'PENDING', false],
    ['CONFIGURING', 'None', 'RUNNING', false],
    ['RUNNING', 'None', 'RUNNING', false],
    ['COMPLETING', 'None', 'RUNNING', false],
    ['SUSPENDED', 'None', 'HELD', false],
    ['REQUEUE_HOLD', 'None', 'HELD', false],
    ['COMPLETED', 'None', 'SUCCEEDED', false],
    ['FAILED', 'NonZeroExitCode', 'FAILED', false],
    ['FAILED', 'JobLaunchFailure', 'FAILED', true],
    ['TIMEOUT', 'TimeLimit', 'FAILED', true],
    ['OUT_OF_MEMORY', 'OutOfMemory', 'FAILED', true],
    ['NODE_FAIL', 'None', 'FAILED', true],
    ['PREEMPTED', 'None', 'FAILED', true],
    ['BOOT_FAIL', 'None', 'FAILED', true],
    ['DEADLINE', 'None', 'FAILED', true],
    ['CANCELLED', 'None', 'DELETED', true],
    ['CANCELLED by 0', '', 'DELETED', true],
    ['CANCELLED+', '', 'DELETED', true],
    ['cancelled', 'None', 'DELETED', true],
    ['SOMETHING_NEW', 'None', 'UNKNOWN', false],
  ] as const)('maps %s / %s to %s (infrastructure %s)', (state, reason, expected, infrastructure) => {
    expect(mapSlurmState(state, reason)).toEqual({ state: expected, infrastructure });
  });

  it('counts BLOCKED as final, PENDING and HELD as not', () => {
    expect(['SUCCEEDED', 'FAILED', 'DELETED', 'BLOCKED', 'PENDING', 'HELD', 'RUNNING', 'UNKNOWN'].map((s) => isFinalState(s as never)))
      .toEqual([true, true, true, true, false, false, false, false]);
  });
});

describe('exit decoding', () => {
  it('decodes squeue raw wait statuses', () => {
    expect(decodeWaitStatus(768)).toEqual({ exitCode: 3, signal: null });
    expect(decodeWaitStatus(0)).toEqual({ exitCode: 0, signal: null });
    expect(decodeWaitStatus(15)).toEqual({ exitCode: null, signal: 'SIGTERM' });
    expect(decodeWaitStatus(36608)).toEqual({ exitCode: 143, signal: null });
    expect(decodeWaitStatus(4021)).toEqual({ exitCode: null, signal: 'SIG53' });
  });

  it('decodes scontrol code:signal pairs', () => {
    expect(decodeExitPair('3:0')).toEqual({ exitCode: 3, signal: null });
    expect(decodeExitPair('0:9')).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(decodeExitPair('n/a')).toEqual({ exitCode: null, signal: null });
  });
});

describe('mergeJobStatus', () => {
  const ok = { exitCode: 0, signal: null };

  it('lets the status file exit code decide a COMPLETED or FAILED job', () => {
    expect(mergeJobStatus({ state: 'COMPLETED', reason: 'None', exit: ok }, wrapper({ exitCode: 5 }))).toMatchObject({ state: 'FAILED', exitCode: 5, infrastructure: false, host: 'vm', peakRssKb: 1234 });
    // The batch shell died after the payload exited 0 (e.g. killed in the epilog): the payload succeeded.
    expect(mergeJobStatus({ state: 'FAILED', reason: 'JobLaunchFailure', exit: { exitCode: null, signal: 'SIGKILL' } }, wrapper({ exitCode: 0 }))).toMatchObject({ state: 'SUCCEEDED', infrastructure: false });
  });

  it('keeps a launch failure with no payload exit an infrastructure failure', () => {
    expect(mergeJobStatus({ state: 'FAILED', reason: 'JobLaunchFailure', exit: { exitCode: null, signal: 'SIG53' } }, undefined)).toMatchObject({ state: 'FAILED', infrastructure: true, signal: 'SIG53', exitCode: null });
  });

  it('keeps infrastructure end states, taking the exit code from the file when the payload exited', () => {
    expect(mergeJobStatus({ state: 'OUT_OF_MEMORY', reason: 'OutOfMemory', exit: { exitCode: null, signal: 'SIGKILL' } }, wrapper({ exitCode: 137 }))).toMatchObject({ state: 'FAILED', infrastructure: true, exitCode: 137, signal: null });
    expect(mergeJobStatus({ state: 'TIMEOUT', reason: 'TimeLimit', exit: { exitCode: null, signal: 'SIGTERM' } }, wrapper({ state: 'signalled', exitCode: null, signal: 'TERM', end: null }))).toMatchObject({ state: 'FAILED', infrastructure: true, signal: 'SIGTERM', endedAt: null });
  });

  it('reports no exit code for jobs that are not final or never ran', () => {
    expect(mergeJobStatus({ state: 'RUNNING', reason: 'None', exit: ok }, wrapper({ state: 'running', exitCode: null, end: null }))).toMatchObject({ state: 'RUNNING', exitCode: null, host: 'vm' });
    expect(mergeJobStatus({ state: 'PENDING', reason: 'DependencyNeverSatisfied', exit: ok }, undefined)).toMatchObject({ state: 'BLOCKED', exitCode: null });
    expect(mergeJobStatus({ state: 'CANCELLED', reason: 'Priority', exit: ok }, undefined)).toMatchObject({ state: 'DELETED', exitCode: null, infrastructure: true });
  });

  it('judges a job Slurm has forgotten by its status file alone', () => {
    expect(mergeJobStatus(undefined, wrapper({ exitCode: 0 }))).toMatchObject({ state: 'SUCCEEDED', slurmState: null });
    expect(mergeJobStatus(undefined, wrapper({ exitCode: 2 }))).toMatchObject({ state: 'FAILED', exitCode: 2, infrastructure: false });
    expect(mergeJobStatus(undefined, wrapper({ state: 'signalled', exitCode: null, signal: 'TERM' }))).toMatchObject({ state: 'FAILED', infrastructure: true });
    expect(mergeJobStatus(undefined, wrapper({ state: 'running', exitCode: null, end: null }))).toMatchObject({ state: 'UNKNOWN' });
    expect(mergeJobStatus(undefined, undefined)).toMatchObject({ state: 'UNKNOWN', host: null });
  });
});
