/** A header value: string, logical, number (integers beyond 2^53 as bigint) or null (undefined value). */
export type FitsValue = string | number | bigint | boolean | null;

/** One header record. Commentary cards (COMMENT, HISTORY, blank) have `value` undefined. */
export interface FitsCard {
  keyword: string;
  value?: FitsValue;
  comment?: string;
}

const commentaryKeywords = new Set(['COMMENT', 'HISTORY', '']);

/** An ordered FITS header with keyword lookup (keywords are upper-cased, HIERARCH prefix dropped). */
export class FitsHeader {
  readonly cards: FitsCard[] = [];

  constructor(cards: Iterable<FitsCard> = []) {
    for (const card of cards) this.cards.push({ ...card });
  }

  /** Builds a header from a plain object, keeping insertion order. */
  static fromRecord(record: Record<string, FitsValue>): FitsHeader {
    const header = new FitsHeader();
    for (const [keyword, value] of Object.entries(record)) header.set(keyword, value);
    return header;
  }

  has(keyword: string): boolean {
    return this.find(keyword) !== undefined;
  }

  /** The value of the first card with this keyword, or undefined when absent. */
  get(keyword: string): FitsValue | undefined {
    return this.find(keyword)?.value;
  }

  /** Sets (replacing the first card with the same keyword) or appends a value card. */
  set(keyword: string, value: FitsValue, comment?: string): this {
    const key = normaliseKeyword(keyword);
    const existing = this.find(key);
    if (existing !== undefined && !commentaryKeywords.has(key)) {
      existing.value = value;
      if (comment !== undefined) existing.comment = comment;
    } else {
      this.cards.push(comment === undefined ? { keyword: key, value } : { keyword: key, value, comment });
    }
    return this;
  }

  /** Appends a COMMENT or HISTORY card. */
  addCommentary(keyword: 'COMMENT' | 'HISTORY', text: string): this {
    this.cards.push({ keyword, comment: text });
    return this;
  }

  delete(keyword: string): this {
    const key = normaliseKeyword(keyword);
    const index = this.cards.findIndex((c) => c.keyword === key);
    if (index >= 0) this.cards.splice(index, 1);
    return this;
  }

  /** Value cards as a plain object (first occurrence wins). */
  toRecord(): Record<string, FitsValue> {
    const record: Record<string, FitsValue> = {};
    for (const card of this.cards) {
      if (card.value !== undefined && !(card.keyword in record)) record[card.keyword] = card.value;
    }
    return record;
  }

  private find(keyword: string): FitsCard | undefined {
    const key = normaliseKeyword(keyword);
    return this.cards.find((c) => c.keyword === key && c.value !== undefined);
  }
}

/** Upper-cases a keyword, drops a leading `HIERARCH ` and collapses runs of blanks. */
export function normaliseKeyword(keyword: string): string {
  return keyword
    .trim()
    .replace(/^HIERARCH\s+/i, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();
}
