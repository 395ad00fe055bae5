import { performance } from 'node:perf_hooks';
import { Registry } from '../registry/index.js';

/** One benchmark result: a name and its median wall time in milliseconds. */
export interface WhereBenchResult {
  readonly name: string;
  readonly ms: number;
}

const RUNS = 7;

/** A 2,000-item IN list mixing numbers and ranges. */
function buildInListClause(): string {
  const items = Array.from({ length: 2000 }, (_, i) => (i % 100 === 99 ? `${i * 10}..${i * 10 + 5}:2` : String(i * 3)));
  return `instrument = 'HSC' AND visit IN (${items.join(', ')})`;
}

/** A 50-term expression of comparisons, arithmetic, times, GLOB and nested AND/OR/NOT. */
function buildFiftyTermClause(): string {
  const terms: string[] = [];
  for (let i = 0; i < 50; i += 1) {
    switch (i % 5) {
      case 0: terms.push(`visit = ${i}`); break;
      case 1: terms.push(`(detector > ${i} AND detector < ${i + 10})`); break;
      case 2: terms.push(`visit.exposure_time * 2 >= ${i}.5`); break;
      case 3: terms.push(`NOT visit.timespan.begin < T'2024-01-0${(i % 9) + 1}T00:00:00'`); break;
      default: terms.push(`GLOB(detector.full_name, '${i}_*')`);
    }
  }
  return terms.join(' OR ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Times parsing plus compiling to SQL text (kysely `compile()`, nothing executed) of a 2,000-item
 * `IN` list and of a 50-term expression, on an in-memory SQLite registry; median of a few runs.
 */
export async function benchWhereCompile(): Promise<WhereBenchResult[]> {
  const registry = await Registry.create({ url: ':memory:' });
  try {
    const cases = [
      { name: 'where-compile: 2,000-item IN list', where: buildInListClause() },
      { name: 'where-compile: 50-term expression', where: buildFiftyTermClause() },
    ];
    const out: WhereBenchResult[] = [];
    for (const c of cases) {
      await registry.compileDataIdQuery({ dimensions: ['visit', 'detector'], where: c.where });
      const times: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const start = performance.now();
        await registry.compileDataIdQuery({ dimensions: ['visit', 'detector'], where: c.where });
        times.push(performance.now() - start);
      }
      out.push({ name: c.name, ms: Math.round(median(times) * 1000) / 1000 });
    }
    return out;
  } finally {
    await registry.close();
  }
}
