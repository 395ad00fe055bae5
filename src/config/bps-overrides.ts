import { parse as parseYaml } from 'yaml';
import type { BpsConfig } from './bps-config.js';
import { ConfigError } from './config-error.js';

/** Where command-line values are recorded as coming from. */
export const COMMAND_LINE = 'command line';

/** Values given on the `bps-ts submit` command line (reference option names). */
export interface BpsOverrides {
  /** `-b`: the repository → `butlerConfig`. */
  readonly butlerConfig?: string;
  /** `-i`: input collections → `inCollection` (joined with commas). */
  readonly inCollection?: string | readonly string[];
  /** `-o`: output chain → `output`. */
  readonly output?: string;
  /** `--output-run` → `outputRun`. */
  readonly outputRun?: string;
  /** `-d`: where-clause → `dataQuery`. */
  readonly dataQuery?: string;
  /** `-p`: pipeline → `pipelineYaml`. */
  readonly pipelineYaml?: string;
  /** `-g`: an existing graph → `qgraphFile`. */
  readonly qgraphFile?: string;
  /** `--compute-site` → `computeSite`. */
  readonly computeSite?: string;
  /**
   * `-c key=value` (repeatable): a plain key goes to the command-line section (highest
   * priority); a dotted key path (`pipetask.isr.requestMemory=4096`) sets that path. Values are
   * read as YAML scalars (`4096` is a number, `true` a boolean).
   */
  readonly settings?: readonly string[];
}

const NAMED: readonly (keyof BpsOverrides)[] = ['butlerConfig', 'inCollection', 'output', 'outputRun', 'dataQuery', 'pipelineYaml', 'qgraphFile', 'computeSite'];

/** The key paths and values the overrides set. */
export function listOverrideValues(overrides: BpsOverrides): { path: string; value: unknown; origin: string }[] {
  const out: { path: string; value: unknown; origin: string }[] = [];
  for (const name of NAMED) {
    const v = overrides[name];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out.push({ path: `bps_cmdline.${name}`, value: Array.isArray(v) ? v.join(',') : v, origin: COMMAND_LINE });
  }
  for (const setting of overrides.settings ?? []) {
    const eq = setting.indexOf('=');
    const key = eq < 0 ? '' : setting.slice(0, eq).trim();
    if (eq < 0 || key === '' || key.split('.').some((p) => p === '')) {
      throw new ConfigError(`-c '${setting}': expected key=value`, { file: COMMAND_LINE, key: setting, hint: 'write e.g. -c requestMemory=4096 or -c pipetask.isr.requestMemory=8192' });
    }
    const text = setting.slice(eq + 1);
    out.push({ path: key.includes('.') ? key : `bps_cmdline.${key}`, value: parseSettingValue(text), origin: COMMAND_LINE });
  }
  return out;
}

function parseSettingValue(text: string): unknown {
  if (text.trim() === '') return '';
  try {
    const v: unknown = parseYaml(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  } catch {
    // not YAML: keep the text as it is
  }
  return text;
}

/** Applies command-line values to a config (returns a new config). */
export function applyBpsOverrides(config: BpsConfig, overrides: BpsOverrides): BpsConfig {
  const values = listOverrideValues(overrides);
  return values.length === 0 ? config : config.withValues(values);
}
