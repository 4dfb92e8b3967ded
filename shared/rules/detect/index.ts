/**
 * Pure detectors over a document's text, for the rulebook (shared/rules): document numbers,
 * disclosure and secrecy markers, personal data, 文种 of titles, cited titles, validity
 * statements. No I/O, no AWS.
 *
 * Input: the NORMALISED text the check stage gets (shared/extract/normalise.ts), but every
 * detector also works on raw extractor output: blanks and line breaks inside a token (PDF
 * wraps, "2020 年", "〔2020〕60 号"), full-width digits and letters (folded internally
 * without moving offsets). Every position returned is an offset into the exact string
 * passed in, and `text === input.slice(start, end)`. The precise rules of each detector
 * are documented in its module.
 */
export type { Span } from './scan.ts';
export { findDocumentNumbers, findOrderNumbers, sameOrder, canonicalDocumentNumber, MAX_ORGAN, type DocumentNumber, type OrderNumber } from './document-number.ts';
export { findMarkers, findPossibleSecrecyMarks, normalisePeriod, HEADER_LINES, type Marker, type MarkerKind } from './markers.ts';
export {
  findPersonalData,
  isValidResidentId,
  luhnValid,
  plausibleIin,
  residentIdCheckChar,
  PLATE_PROVINCES,
  PROVINCE_CODES,
  type PersonalData,
  type PersonalDataKind,
} from './personal-data.ts';
export { documentTypeOfTitle, findCitedTitles, OWN_TITLE_LINES, type CitedTitle } from './titles.ts';
export { findValidity, END_ZONE, type Validity } from './validity.ts';
export type { DocumentType } from '#shared/domain/form';
