/** Kinds of things the loader reports without failing. */
export const PipelineNoteKind = [
  'opaque-python',
  'opaque-file',
  'unknown-parameter',
  'unverified-contract',
  'unknown-task-class',
  'unresolved-condition',
] as const;
export type PipelineNoteKind = (typeof PipelineNoteKind)[number];

/** A reported (non-fatal) finding of pipeline expansion. */
export interface PipelineNote {
  kind: PipelineNoteKind;
  /** Task label the note is about, if any. */
  label?: string;
  /** File the offending text came from, if known. */
  file?: string;
  message: string;
}

/**
 * One sentence summarising the notes, for the CLI to print once: Python and `file` config
 * blocks are kept as opaque payloads and never run.
 */
export function summarizeOpaqueConfig(notes: readonly PipelineNote[]): string | undefined {
  const python = notes.filter((n) => n.kind === 'opaque-python');
  const files = notes.filter((n) => n.kind === 'opaque-file');
  if (python.length === 0 && files.length === 0) return undefined;
  const labels = [...new Set([...python, ...files].map((n) => n.label ?? '?'))];
  return (
    `${python.length} 'python' and ${files.length} 'file' config block(s) (tasks: ${labels.slice(0, 8).join(', ')}${labels.length > 8 ? ', ...' : ''}) ` +
    'are kept as opaque payloads and were not applied: bps-ts does not run Python; config values they would set come from the task catalog defaults'
  );
}
