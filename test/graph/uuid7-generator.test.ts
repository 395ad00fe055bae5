import { describe, expect, it } from 'vitest';
import { Uuid7Generator } from '../../src/graph/uuid7-generator.js';

describe('Uuid7Generator', () => {
  it('makes distinct version-7 UUIDs that sort in creation order', () => {
    const generator = new Uuid7Generator();
    const before = Date.now();
    // More than one pool of random bytes, and more ids than the 12-bit counter holds in a millisecond.
    const ids = Array.from({ length: 10_000 }, () => generator.next());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    const ms = Number.parseInt((ids[0] ?? '').replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });
});
