import { ConfigError } from './config-error.js';

const SPEC = /^(?:([^{}])?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGosxX%])?$/;

/** Formats a scalar with a Python format specification (`{qux:03}`, `{x:>8}`, `{f:.2f}`). */
export function applyFormatSpec(value: string | number | boolean, spec: string, where: { key: string; file?: string }): string {
  if (spec === '') return String(value);
  const m = SPEC.exec(spec);
  if (!m) throw badSpec(spec, where, 'not a valid format specification');
  const [, fillChar, alignChar, sign = '-', alt, zero, widthText, grouping, precisionText, type] = m;
  const width = widthText === undefined ? 0 : Number(widthText);
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  const numericType = type !== undefined && type !== 's';
  let num: number | undefined;
  if (typeof value === 'number') num = value;
  else if (numericType && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) num = Number(value);
  if (num === undefined && numericType) throw badSpec(spec, where, `format type '${type}' needs a number, got ${JSON.stringify(value)}`);

  if (num === undefined) {
    let text = String(value);
    if (precision !== undefined) text = text.slice(0, precision);
    return pad(text, width, fillChar ?? (zero ? '0' : ' '), alignChar ?? '<', '');
  }
  const negative = num < 0 || Object.is(num, -0);
  let body = formatNumber(Math.abs(num), type, precision, alt !== undefined);
  if (grouping !== undefined) body = groupDigits(body, grouping);
  const signText = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  const fill = fillChar ?? (zero && alignChar === undefined ? '0' : ' ');
  const align = alignChar ?? (zero ? '=' : '>');
  return pad(body, width, fill, align, signText);
}

function formatNumber(n: number, type: string | undefined, precision: number | undefined, alt: boolean): string {
  switch (type) {
    case 'd':
    case 'n':
      return Math.trunc(n).toString();
    case 'b':
      return (alt ? '0b' : '') + Math.trunc(n).toString(2);
    case 'o':
      return (alt ? '0o' : '') + Math.trunc(n).toString(8);
    case 'x':
      return (alt ? '0x' : '') + Math.trunc(n).toString(16);
    case 'X':
      return (alt ? '0X' : '') + Math.trunc(n).toString(16).toUpperCase();
    case 'c':
      return String.fromCodePoint(Math.trunc(n));
    case 'f':
    case 'F':
      return n.toFixed(precision ?? 6);
    case 'e':
    case 'E': {
      const t = pythonExponent(n.toExponential(precision ?? 6));
      return type === 'E' ? t.toUpperCase() : t;
    }
    case '%':
      return `${(n * 100).toFixed(precision ?? 6)}%`;
    case 'g':
    case 'G': {
      const t = pythonExponent(Number(n.toPrecision(precision === 0 ? 1 : precision ?? 6)).toString());
      return type === 'G' ? t.toUpperCase() : t;
    }
    default:
      if (precision !== undefined && !Number.isInteger(n)) return Number(n.toPrecision(precision)).toString();
      return Number.isInteger(n) ? n.toFixed(0) : n.toString();
  }
}

function pythonExponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

function groupDigits(body: string, sep: string): string {
  const [intPart = '', rest] = body.split(/(?=[.e%])/, 2);
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return rest === undefined ? grouped : grouped + body.slice(intPart.length);
}

function pad(body: string, width: number, fill: string, align: string, sign: string): string {
  const missing = width - body.length - sign.length;
  if (missing <= 0) return sign + body;
  const padding = fill.repeat(missing);
  switch (align) {
    case '<':
      return sign + body + padding;
    case '^': {
      const left = fill.repeat(Math.floor(missing / 2));
      return left + sign + body + fill.repeat(missing - left.length);
    }
    case '=':
      return sign + padding + body;
    default:
      return padding + sign + body;
  }
}

function badSpec(spec: string, where: { key: string; file?: string }, why: string): ConfigError {
  return new ConfigError(`bad format specification ':${spec}' for '{${where.key}}'${where.file ? ` (${where.file})` : ''}: ${why}`, {
    key: where.key,
    ...(where.file ? { file: where.file } : {}),
    hint: 'use a Python format spec such as :03 (zero-pad to 3), :>8 (right-align), :.2f',
  });
}
