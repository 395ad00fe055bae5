import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The project root. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Result of running one of the project's commands. */
export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli/<bin>.js args...` (built by `npm run build`) and never throws on failure. */
export async function runBin(bin: 'butler-ts' | 'qg' | 'bps-ts', args: readonly string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  const script = `${projectRoot}dist/cli/${bin}.js`;
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first (npm test does).`);
  const result = await execa('node', [script, ...args], {
    cwd: options.cwd ?? projectRoot,
    env: { BPS_LOG_LEVEL: 'warn', ...options.env },
    reject: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
