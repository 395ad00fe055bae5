/**
 * FITS reading and writing, done by the project itself: primary and IMAGE HDUs (BITPIX 8, 16, 32,
 * -32, -64 with BZERO/BSCALE/BLANK), binary tables (J, K, E, D, A, I, L, B columns), long strings
 * (CONTINUE), HIERARCH keywords, and a header-only reader that stops at the END card.
 * @packageDocumentation
 */

/** Error for malformed, truncated or unsupported FITS files; carries `file`, `offset`, `keyword`. */
export { FitsError } from './fits-error.js';
export type { FitsErrorOptions } from './fits-error.js';

/** Ordered header with keyword lookup; {@link normaliseKeyword} shows how keywords are matched. */
export { FitsHeader, normaliseKeyword } from './fits-header.js';
/** A header value and a header card. */
export type { FitsCard, FitsValue } from './fits-header.js';

/** Pixel types (BITPIX values) and the decoded image shape. */
export { bitpixValues } from './image-data.js';
export type { Bitpix, FitsImage } from './image-data.js';

/** Binary-table column formats and shapes. */
export { columnFormats } from './bintable.js';
export type { ColumnFormat, ColumnValues, FitsColumn, FitsTable, FitsTableInput } from './bintable.js';

/**
 * `readFits(path)` decodes every HDU; `decodeFits(bytes, file?)` does the same for bytes in memory;
 * `readFitsHeader(path)` reads only the primary header's blocks.
 */
export { decodeFits, hduKinds, readFits, readFitsHeader } from './read-fits.js';
export type { FitsHdu, HduKind } from './read-fits.js';

/**
 * `encodeFits(hdus)` builds FITS bytes; `writeFits(path, hdus)` writes them through a temporary
 * file. The first HDU is the primary one; a table given first gets an empty primary HDU.
 */
export { encodeFits, writeFits } from './write-fits.js';
export type { FitsHduInput, FitsImageInput } from './write-fits.js';

/** Formats header cards (used by callers that need the exact 80-character text). */
export { formatCard, formatHeader } from './format-header.js';
