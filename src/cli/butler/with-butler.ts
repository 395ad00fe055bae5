import { createInterface } from 'node:readline/promises';
import { Butler } from '../../butler/index.js';
import { UsageError } from '../../errors/index.js';

/** Opens the repository, runs `fn`, and closes it whatever happens. */
export async function withButler<T>(repo: string, fn: (butler: Butler) => Promise<T>): Promise<T> {
  const butler = await Butler.open(repo);
  try {
    return await fn(butler);
  } finally {
    await butler.close();
  }
}

/**
 * Asks before a destructive action. Skipped with `--no-confirm`; without a terminal to ask on,
 * the action is refused (a script must say --no-confirm).
 */
export async function confirmAction(question: string, confirm: boolean): Promise<boolean> {
  if (!confirm) return true;
  if (!process.stdin.isTTY) {
    throw new UsageError(`${question.trim()} needs confirmation, and there is no terminal to ask on.`, { hint: 'Pass --no-confirm to proceed without asking.' });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
