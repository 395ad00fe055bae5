import { describe, expect, it } from 'vitest';
import {
  expandDollarMacros,
  formatClassAdString,
  parseSubmitArguments,
  parseSubmitEnvironment,
  quoteShellWord,
  quoteSubmitArguments,
  quoteSubmitEnvironment,
} from '../../../src/sites/htcondor/index.js';
import { SiteError } from '../../../src/sites/site-error.js';

const hostile = [
  'plain',
  '',
  'two words',
  "it's",
  "''",
  'say "hi"',
  '""',
  '$HOME',
  '$(Cluster)',
  '$$(Memory)',
  'tab\there',
  ' leading and trailing ',
  "mix 'single' and \"double\" and $dollar",
  '/path with spaces/file.fits',
  'a=b;c|d&e>f<g`h`\\i',
  'ünïcödé ✓',
];

describe('arguments in the new syntax', () => {
  it('matches the manual examples', () => {
    // HTCondor manual, condor_submit "arguments", new syntax examples.
    expect(parseSubmitArguments('"3 simple arguments"')).toEqual(['3', 'simple', 'arguments']);
    expect(parseSubmitArguments(`"one 'two with spaces' 3"`)).toEqual(['one', 'two with spaces', '3']);
    expect(parseSubmitArguments(`"one ""two"" 'spacey ''quoted'' argument'"`)).toEqual(['one', '"two"', "spacey 'quoted' argument"]);
  });

  it('writes the manual example the way the manual does', () => {
    expect(quoteSubmitArguments(['one', '"two"', "spacey 'quoted' argument"], 'test')).toBe(`"one ""two"" 'spacey ''quoted'' argument'"`);
  });

  it('round-trips hostile values one by one and all together', () => {
    for (const value of hostile) {
      const quoted = quoteSubmitArguments([value], 'test');
      expect(parseSubmitArguments(expandDollarMacros(quoted)), quoted).toEqual([value]);
    }
    const all = quoteSubmitArguments(hostile, 'test');
    expect(parseSubmitArguments(expandDollarMacros(all))).toEqual(hostile);
  });

  it('protects every $ from submit macro expansion', () => {
    const quoted = quoteSubmitArguments(['$(Cluster)', '$HOME'], 'test');
    expect(quoted).toBe('"$(DOLLAR)(Cluster) $(DOLLAR)HOME"');
    expect(quoted.replace(/\$\(DOLLAR\)/g, '')).not.toContain('$');
  });

  it('refuses line breaks, naming the job', () => {
    expect(() => quoteSubmitArguments(['a\nb'], "job 'x' arguments")).toThrow(SiteError);
    expect(() => quoteSubmitArguments(['a\rb'], "job 'x' arguments")).toThrow(/job 'x' arguments.*line break/);
  });

  it('refuses malformed values when parsing', () => {
    expect(() => parseSubmitArguments('no quotes')).toThrow(/new syntax/);
    expect(() => parseSubmitArguments(`"one 'unbalanced"`)).toThrow(/unbalanced single quote/);
    expect(() => parseSubmitArguments('"lone " quote"')).toThrow(/lone double quote/);
  });
});

describe('environment in the new syntax', () => {
  it('matches the manual example', () => {
    expect(parseSubmitEnvironment(`"one=1 two=""2"" three='spacey ''quoted'' value'"`)).toEqual({ one: '1', two: '"2"', three: "spacey 'quoted' value" });
  });

  it('round-trips hostile values', () => {
    const env: Record<string, string> = {};
    hostile.forEach((v, i) => (env[`V_${i}`] = v));
    expect(parseSubmitEnvironment(expandDollarMacros(quoteSubmitEnvironment(env, 'test')))).toEqual(env);
  });

  it('refuses invalid names and line breaks', () => {
    expect(() => quoteSubmitEnvironment({ 'BAD NAME': 'x' }, 'env')).toThrow(/BAD NAME/);
    expect(() => quoteSubmitEnvironment({ GOOD: 'x\ny' }, 'env')).toThrow(/line break/);
  });
});

describe('ClassAd strings and shell words', () => {
  it('escapes double quotes and dollars in ClassAd strings', () => {
    expect(formatClassAdString('say "hi" $x', 'attr')).toBe('"say \\"hi\\" $(DOLLAR)x"');
  });

  it('refuses backslashes with a hint', () => {
    expect(() => formatClassAdString('a\\b', 'attr')).toThrow(/backslash/);
  });

  it('quotes shell words so sh reads them back', () => {
    expect(quoteShellWord('simple/path-1.txt')).toBe('simple/path-1.txt');
    expect(quoteShellWord("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(quoteShellWord('')).toBe("''");
  });
});
