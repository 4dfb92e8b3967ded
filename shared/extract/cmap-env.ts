/**
 * Environment variable naming the directory of pdf.js' packed CMaps (*.bcmap). In a module of
 * its own, without pdf.js: extract-document's handler names it to hand the directory to its
 * extraction worker, and importing it from pdf.ts put all of pdf.js in the handler's bundle and
 * its cold start (issue 17.5).
 */
export const PDF_CMAP_DIR_ENV = 'PDF_CMAP_DIR';
