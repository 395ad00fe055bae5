import { getConfigPath, MISSING } from './config-values.js';
import type { ConfigObject } from './config-values.js';
import { evaluateExpression, isTruthy } from './evaluate-expression.js';
import { parseExpression } from './expression-parser.js';
import { PipelineError } from './pipeline-errors.js';
import type { PipelineNote } from './pipeline-notes.js';
import type { ConnectionKind, TaskCatalogEntry } from './task-catalog.js';

/** A connection of a task in a pipeline, with its final dataset type name. */
export interface ResolvedConnection {
  /** Connection name in the task class (`calExpList`), or `_config`/`_metadata`/`_log`. */
  connection: string;
  kind: ConnectionKind;
  datasetType: string;
  dimensions: string[];
  storageClass: string;
  multiple: boolean;
  minimum: number;
  isCalibration: boolean;
  deferLoad: boolean;
  deferGraphConstraint: boolean;
  /** True for the per-task `_config`, `_metadata` and `_log` datasets every task writes. */
  automatic: boolean;
}

function automaticConnection(connection: string, kind: ConnectionKind, datasetType: string, storageClass: string, dimensions: string[]): ResolvedConnection {
  return { connection, kind, datasetType, dimensions, storageClass, multiple: false, minimum: 1, isCalibration: false, deferLoad: false, deferGraphConstraint: false, automatic: true };
}

/** The automatic datasets of a task: `<label>_config`, and `<label>_metadata`/`_log` unless disabled. */
export function automaticConnections(label: string, dimensions: string[], config: ConfigObject): ResolvedConnection[] {
  const out = [automaticConnection('_config', 'initOutput', `${label}_config`, 'Config', [])];
  if (getConfigPath(config, 'saveMetadata') !== false) out.push(automaticConnection('_metadata', 'output', `${label}_metadata`, 'TaskMetadata', dimensions));
  if (getConfigPath(config, 'saveLogOutput') !== false) out.push(automaticConnection('_log', 'output', `${label}_log`, 'ButlerLogRecords', dimensions));
  return out;
}

function fillTemplates(name: string, config: ConfigObject, ctx: { label: string; connection: string; source: string }): string {
  return name.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, key: string) => {
    const value = getConfigPath(config, `connections.${key}`);
    if (value === MISSING || (typeof value !== 'string' && typeof value !== 'number')) {
      throw new PipelineError(
        `connection '${ctx.connection}' of task '${ctx.label}' (declared in '${ctx.source}') uses template '{${key}}' in '${name}', but 'connections.${key}' has no string value`,
        { file: ctx.source, label: ctx.label, key: `connections.${key}`, hint: `set it with -c ${ctx.label}:connections.${key}=<value>` },
      );
    }
    return String(value);
  });
}

/**
 * Resolves the connections of one task from its catalog entry and resolved config: dataset type
 * names come from `connections.<name>` (overridable) with `{template}` parts filled from
 * `connections.<template>`; connections whose `when` condition is false are removed.
 */
export function resolveConnections(options: {
  label: string;
  source: string;
  entry: TaskCatalogEntry;
  config: ConfigObject;
  notes: PipelineNote[];
}): ResolvedConnection[] {
  const { label, source, entry, config, notes } = options;
  const resolver = (name: string): ReturnType<typeof getConfigPath> => getConfigPath(config, name);
  const out: ResolvedConnection[] = [];
  for (const [connection, spec] of Object.entries(entry.connections)) {
    if (spec.when !== undefined) {
      let result;
      try {
        result = evaluateExpression(parseExpression(spec.when), resolver);
      } catch (err) {
        result = { status: 'unresolved' as const, reason: (err as Error).message };
      }
      if (result.status === 'unresolved') {
        notes.push({ kind: 'unresolved-condition', label, file: entry.source, message: `condition '${spec.when}' of connection '${connection}' of task '${label}' could not be evaluated (${result.reason}); connection kept` });
      } else if (!isTruthy(result.value)) continue;
    }
    const configured = getConfigPath(config, `connections.${connection}`);
    const raw = typeof configured === 'string' ? configured : spec.name;
    out.push({
      connection,
      kind: spec.kind,
      datasetType: fillTemplates(raw, config, { label, connection, source }),
      dimensions: [...spec.dimensions],
      storageClass: spec.storageClass,
      multiple: spec.multiple,
      minimum: spec.minimum,
      isCalibration: spec.isCalibration,
      deferLoad: spec.deferLoad,
      deferGraphConstraint: spec.deferGraphConstraint,
      automatic: false,
    });
  }
  return [...out, ...automaticConnections(label, entry.dimensions, config)];
}
