import { FitsError } from './fits-error.js';
import type { FitsCard, FitsHeader, FitsValue } from './fits-header.js';
import { blockSize, cardSize } from './parse-header.js';

/** Serialises header cards plus END, padded with blanks to whole 2880-byte blocks. */
export function formatHeader(header: FitsHeader): Buffer {
  const lines: string[] = [];
  for (const card of header.cards) lines.push(...formatCard(card));
  lines.push('END'.padEnd(cardSize));
  const text = lines.join('');
  const size = Math.ceil(text.length / blockSize) * blockSize;
  return Buffer.from(text.padEnd(size), 'ascii');
}

/** Formats one card as one or more 80-character lines (long strings use CONTINUE cards). */
export function formatCard(card: FitsCard): string[] {
  const keyword = card.keyword;
  if (/[^\x20-\x7e]/.test(keyword + (card.comment ?? '') + (typeof card.value === 'string' ? card.value : ''))) {
    throw new FitsError(`cannot write FITS keyword '${keyword}': keyword, value and comment must be printable ASCII`, {
      keyword,
    });
  }
  if (card.value === undefined) return [`${keyword.padEnd(8)}${card.comment ?? ''}`.slice(0, cardSize).padEnd(cardSize)];
  const hierarch = keyword.length > 8 || !/^[A-Z0-9_-]*$/.test(keyword);
  const prefix = hierarch ? `HIERARCH ${keyword} = ` : `${keyword.padEnd(8)}= `;
  if (typeof card.value === 'string') return formatString(prefix, card.value, card.comment, hierarch);
  const value = formatScalar(card.value, keyword);
  const field = hierarch ? value : value.padStart(20);
  return [withComment(prefix + field, card.comment, keyword)];
}

function formatScalar(value: Exclude<FitsValue, string>, keyword: string): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isFinite(value)) {
    throw new FitsError(`cannot write FITS keyword '${keyword}': value ${value} is not a finite number`, { keyword });
  }
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(0);
  let text = String(value).toUpperCase();
  if (!text.includes('.') && !text.includes('E')) text += '.0';
  if (text.includes('E') && !text.includes('.')) text = text.replace('E', '.0E');
  return text;
}

function withComment(text: string, comment: string | undefined, keyword: string): string {
  const full = comment === undefined || comment === '' ? text : `${text} / ${comment}`;
  if (text.length > cardSize) {
    throw new FitsError(`cannot write FITS keyword '${keyword}': the card is longer than 80 characters`, { keyword });
  }
  return full.slice(0, cardSize).padEnd(cardSize);
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function formatString(prefix: string, value: string, comment: string | undefined, hierarch: boolean): string[] {
  const single = quote(hierarch ? value : value.padEnd(8));
  if (prefix.length + single.length <= cardSize) return [withComment(prefix + single, comment, prefix)];
  // Long-string convention: pieces end with '&' and continue on CONTINUE cards.
  const lines: string[] = [];
  let rest = value;
  let head = prefix;
  for (;;) {
    const room = cardSize - head.length - 2;
    const piece = takePiece(rest, quotedLength(rest) <= room ? room : room - 1);
    rest = rest.slice(piece.length);
    if (rest === '') {
      lines.push(withComment(head + quote(piece), comment, prefix));
      return lines;
    }
    lines.push((head + quote(`${piece}&`)).padEnd(cardSize));
    head = 'CONTINUE  ';
  }
}

function quotedLength(text: string): number {
  return text.length + (text.match(/'/g)?.length ?? 0);
}

/** The longest prefix whose quoted form (quotes doubled) fits in `room` characters. */
function takePiece(text: string, room: number): string {
  let length = 0;
  let used = 0;
  while (length < text.length) {
    const cost = text[length] === "'" ? 2 : 1;
    if (used + cost > room) break;
    used += cost;
    length += 1;
  }
  return text.slice(0, Math.max(length, 1));
}
