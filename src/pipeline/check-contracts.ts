import type { ConfigObject } from './config-values.js';
import { MISSING } from './config-values.js';
import { evaluateExpression, isTruthy } from './evaluate-expression.js';
import { ExpressionSyntaxError, parseExpression } from './expression-parser.js';
import { ContractError } from './pipeline-errors.js';
import type { PipelineNote } from './pipeline-notes.js';
import type { ContractDeclaration } from './pipeline-types.js';

/** Outcome of checking the contracts of a pipeline. */
export interface ContractCheckSummary {
  satisfied: number;
  unverified: number;
}

/**
 * Evaluates each contract against the resolved task configs (names are task labels). A false
 * contract throws {@link ContractError} with its message and file; a contract that cannot be
 * evaluated (unknown config values, unsupported syntax) is reported as a note, never passed.
 */
export function checkContracts(options: {
  contracts: readonly ContractDeclaration[];
  configs: ReadonlyMap<string, ConfigObject>;
  notes: PipelineNote[];
}): ContractCheckSummary {
  const summary = { satisfied: 0, unverified: 0 };
  for (const contract of options.contracts) {
    let tree;
    try {
      tree = parseExpression(contract.contract);
    } catch (err) {
      if (!(err instanceof ExpressionSyntaxError)) throw err;
      summary.unverified += 1;
      options.notes.push({
        kind: 'unverified-contract',
        file: contract.source,
        message: `contract '${contract.contract}' (from '${contract.source}') uses syntax the contract evaluator does not handle (${err.message} at offset ${err.offset}); not checked`,
      });
      continue;
    }
    const result = evaluateExpression(tree, (name) => options.configs.get(name) ?? MISSING);
    if (result.status === 'unresolved') {
      summary.unverified += 1;
      options.notes.push({
        kind: 'unverified-contract',
        file: contract.source,
        message: `contract '${contract.contract}' (from '${contract.source}') could not be checked: ${result.reason}`,
      });
      continue;
    }
    if (!isTruthy(result.value)) {
      const labels = [...options.configs.keys()].filter((l) => new RegExp(`(^|[^A-Za-z0-9_])${l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[.]`).test(contract.contract));
      throw new ContractError(
        `contract '${contract.contract}' (from '${contract.source}'${labels.length > 0 ? `, tasks ${labels.join(', ')}` : ''}) was not satisfied${contract.msg === undefined ? '' : `: ${contract.msg}`}`,
        { file: contract.source, label: labels[0], key: 'contracts', hint: 'change the config overrides so that the contract holds' },
      );
    }
    summary.satisfied += 1;
  }
  return summary;
}
