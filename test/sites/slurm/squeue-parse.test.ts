import { describe, expect, it } from 'vitest';
import { SQUEUE_FORMAT, SlurmCommandError, createRateLimiter, parseScontrolLine, parseSqueueOutput } from '../../../src/sites/slurm/index.js';
import { InvalidInputError } from '../../../src/errors/index.js';

const US = '\x1f';

describe('squeue output', () => {
  it('uses the unit separator so names and comments with | cannot shift columns', () => {
    expect(SQUEUE_FORMAT.startsWith(`JobArrayID:${US},JobID:${US},`)).toBe(true);
    const line = ['6_2', '13', '6', '2', 'FAILED', 'NonZeroExitCode', '768', '2026-11-21T04:52:12', '2026-11-21T04:52:14', '2026-11-21T04:52:15', '0:01', '5:00', 'vm', 'a|b', 'hello | world', ''].join(US);
    const pending = ['7', '7', '7', 'N/A', 'PENDING', 'Dependency', '0', '2026-11-21T04:52:12', 'N/A', 'N/A', '0:00', 'UNLIMITED', '', 'wrap', '(null)', ''].join(US);
    expect(parseSqueueOutput(`${line}\n${pending}\n`)).toEqual([
      { id: '6_2', jobId: '13', arrayJobId: '6', arrayTaskId: 2, state: 'FAILED', reason: 'NonZeroExitCode', rawExitCode: 768, submitTime: '2026-11-21T04:52:12', startTime: '2026-11-21T04:52:14', endTime: '2026-11-21T04:52:15', timeUsed: '0:01', timeLimit: '5:00', nodeList: 'vm', name: 'a|b', comment: 'hello | world' },
      { id: '7', jobId: '7', arrayJobId: null, arrayTaskId: null, state: 'PENDING', reason: 'Dependency', rawExitCode: 0, submitTime: '2026-11-21T04:52:12', startTime: null, endTime: null, timeUsed: '0:00', timeLimit: 'UNLIMITED', nodeList: '', name: 'wrap', comment: null },
    ]);
  });

  it('refuses a line with missing columns', () => {
    expect(() => parseSqueueOutput(`1${US}2${US}\n`)).toThrow(SlurmCommandError);
  });
});

describe('scontrol -o show job lines', () => {
  it('keeps blanks inside values and odd key names', () => {
    const line = 'JobId=4 JobName=x y UserId=root(0) MCS_label=N/A JobState=FAILED Reason=JobLaunchFailure ExitCode=0:53 AllocNode:Sid=localhost:23995 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=1G,node=1 Command=/tmp/slx/s4.sh WorkDir=/tmp/a b Comment=a #b \\ c  StdErr=/tmp/b\\s/e 4.txt StdOut=/tmp/o "q" 50%%.txt Power=';
    expect(parseScontrolLine(line)).toEqual({
      JobId: '4', JobName: 'x y', UserId: 'root(0)', MCS_label: 'N/A', JobState: 'FAILED', Reason: 'JobLaunchFailure', ExitCode: '0:53',
      'AllocNode:Sid': 'localhost:23995', 'CPUs/Task': '1', 'ReqB:S:C:T': '0:0:*:*', TRES: 'cpu=1,mem=1G,node=1', Command: '/tmp/slx/s4.sh',
      WorkDir: '/tmp/a b', Comment: 'a #b \\ c', StdErr: '/tmp/b\\s/e 4.txt', StdOut: '/tmp/o "q" 50%%.txt', Power: '',
    });
  });
});

describe('createRateLimiter', () => {
  it('spaces actions 1/perSecond apart, the first at once', async () => {
    const limiter = createRateLimiter({ perSecond: 20 });
    const t0 = Date.now();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.acquire();
      times.push(Date.now() - t0);
    }
    expect(times[0]!).toBeLessThan(20);
    expect(times[4]!).toBeGreaterThanOrEqual(195);
    expect(times[4]!).toBeLessThan(400);
  });

  it('does not wait when unlimited and rejects a negative rate', async () => {
    const limiter = createRateLimiter({ perSecond: 0 });
    const t0 = Date.now();
    for (let i = 0; i < 100; i++) await limiter.acquire();
    expect(Date.now() - t0).toBeLessThan(50);
    expect(() => createRateLimiter({ perSecond: -1 })).toThrow(InvalidInputError);
  });
});
