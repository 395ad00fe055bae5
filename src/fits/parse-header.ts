import { FitsError } from './fits-error.js';
import { FitsHeader, type FitsCard, type FitsValue } from './fits-header.js';

export const blockSize = 2880;
export const cardSize = 80;

/** Result of parsing one header: the header and the offset of the first byte after its last block. */
export interface ParsedHeader {
  header: FitsHeader;
  dataOffset: number;
}

/** Where a header is parsed from, for error messages. */
export interface HeaderSource {
  file: string;
  /** Byte offset of `bytes[0]` in the file. */
  baseOffset?: number;
}

/**
 * Parses header cards from `bytes` starting at `start` until the END card. Returns undefined when
 * the bytes run out before END (the caller decides whether to read more or report truncation).
 */
export function parseHeader(bytes: Uint8Array, start: number, source: HeaderSource): ParsedHeader | undefined {
  const base = source.baseOffset ?? 0;
  const cards: FitsCard[] = [];
  for (let pos = start; pos + cardSize <= bytes.length; pos += cardSize) {
    const text = decodeCard(bytes, pos, source.file, base + pos);
    if (/^END {77}$/.test(text)) {
      const used = pos + cardSize - start;
      return { header: new FitsHeader(cards), dataOffset: start + Math.ceil(used / blockSize) * blockSize };
    }
    const card = parseCard(text, { file: source.file, offset: base + pos });
    if (card.keyword === 'CONTINUE') {
      appendContinuation(cards, card, text, { file: source.file, offset: base + pos });
    } else {
      cards.push(card);
    }
  }
  return undefined;
}

function decodeCard(bytes: Uint8Array, pos: number, file: string, offset: number): string {
  let text = '';
  for (let i = 0; i < cardSize; i++) {
    const code = bytes[pos + i] ?? 0;
    if (code < 32 || code > 126) {
      throw new FitsError(
        `FITS file '${file}' has a bad header card at byte ${offset}: character code ${code} at column ${i + 1} is not printable ASCII`,
        { file, offset, hint: 'the file is corrupt or not a FITS file; header cards must be 80 printable ASCII characters' },
      );
    }
    text += String.fromCharCode(code);
  }
  return text;
}

interface CardContext {
  file: string;
  offset: number;
}

/** Parses one 80-character card. */
export function parseCard(text: string, context: CardContext): FitsCard {
  if (text.startsWith('HIERARCH ')) {
    const eq = text.indexOf('=');
    if (eq < 0) return { keyword: 'HIERARCH', comment: text.slice(9).trimEnd() };
    const keyword = text.slice(9, eq).trim().replace(/\s+/g, ' ').toUpperCase();
    return { keyword, ...parseValueField(text.slice(eq + 1), { ...context, keyword }) };
  }
  const keyword = text.slice(0, 8).trimEnd();
  if (!/^[A-Z0-9_-]*$/.test(keyword)) {
    throw new FitsError(
      `FITS file '${context.file}' has a bad header card at byte ${context.offset}: keyword '${keyword}' contains characters other than A-Z 0-9 _ -`,
      { file: context.file, offset: context.offset, keyword },
    );
  }
  if (keyword === 'CONTINUE') return { keyword, ...parseValueField(text.slice(8), { ...context, keyword }) };
  if (text.slice(8, 10) !== '= ') {
    const comment = text.slice(8).trimEnd();
    return comment === '' ? { keyword } : { keyword, comment };
  }
  return { keyword, ...parseValueField(text.slice(10), { ...context, keyword }) };
}

function parseValueField(field: string, context: CardContext & { keyword: string }): { value: FitsValue; comment?: string } {
  const trimmed = field.trimStart();
  if (trimmed.startsWith("'")) {
    let value = '';
    let i = 1;
    for (;;) {
      if (i >= trimmed.length) throw badValue(context, trimmed, 'string has no closing quote');
      const ch = trimmed[i]!;
      if (ch === "'") {
        if (trimmed[i + 1] === "'") {
          value += "'";
          i += 2;
          continue;
        }
        break;
      }
      value += ch;
      i += 1;
    }
    return withComment(value.trimEnd(), trimmed.slice(i + 1), context);
  }
  const slash = trimmed.indexOf('/');
  const token = (slash < 0 ? trimmed : trimmed.slice(0, slash)).trim();
  const rest = slash < 0 ? '' : trimmed.slice(slash);
  return withComment(parseToken(token, context), rest, context);
}

function withComment(value: FitsValue, rest: string, context: CardContext & { keyword: string }) {
  const tail = rest.trim();
  if (tail === '') return { value };
  if (!tail.startsWith('/')) throw badValue(context, tail, 'unexpected text after the value');
  const comment = tail.slice(1).trim();
  return comment === '' ? { value } : { value, comment };
}

function parseToken(token: string, context: CardContext & { keyword: string }): FitsValue {
  if (token === '') return null;
  if (token === 'T') return true;
  if (token === 'F') return false;
  if (/^[+-]?\d+$/.test(token)) {
    const big = BigInt(token);
    return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(token) : big;
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([EDed][+-]?\d+)?$/.test(token)) return Number(token.replace(/[Dd]/, 'E'));
  if (/^\(.*\)$/.test(token)) return token;
  throw badValue(context, token, 'not a string, logical, integer or real number');
}

function badValue(context: CardContext & { keyword: string }, value: string, what: string): FitsError {
  return new FitsError(
    `FITS file '${context.file}' has a bad value for keyword '${context.keyword}' at byte ${context.offset}: '${value}' is ${what}`,
    { file: context.file, offset: context.offset, keyword: context.keyword },
  );
}

function appendContinuation(cards: FitsCard[], card: FitsCard, text: string, context: CardContext): void {
  const previous = cards[cards.length - 1];
  if (
    previous === undefined ||
    typeof previous.value !== 'string' ||
    !previous.value.endsWith('&') ||
    typeof card.value !== 'string'
  ) {
    // A stray CONTINUE is kept as commentary, as other readers do.
    cards.push({ keyword: 'CONTINUE', comment: text.slice(8).trimEnd() });
    return;
  }
  previous.value = previous.value.slice(0, -1) + card.value;
  if (card.comment !== undefined) {
    previous.comment = previous.comment === undefined ? card.comment : `${previous.comment} ${card.comment}`;
  }
  void context;
}
