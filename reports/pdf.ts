// Rendering a pdfmake document to bytes, server-side, with the report font and nothing else: pdfmake
// may not fetch any URL, and may read only the font files.
import { resolve, sep } from 'node:path';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { FONT_DIRS, FONT_FAMILY, FONT_FILES } from './fonts.ts';

let configured = false;

function configure(): void {
  if (configured) return;
  pdfmake.setFonts({
    [FONT_FAMILY]: { normal: FONT_FILES.normal, bold: FONT_FILES.bold, italics: FONT_FILES.normal, bolditalics: FONT_FILES.bold },
  });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => FONT_DIRS.some((dir) => resolve(path).startsWith(dir + sep)));
  configured = true;
}

/**
 * The PDF bytes of a document. `issuedOn` (YYYY-MM-DD) is written as the creation and modification
 * date, so the same warehouse, options and issue date give the same bytes.
 */
export async function renderPdf(doc: TDocumentDefinitions, issuedOn: string): Promise<Buffer> {
  configure();
  const date = new Date(`${issuedOn}T00:00:00Z`);
  const definition: TDocumentDefinitions = {
    ...doc,
    info: { creator: 'impact report', producer: 'impact report (pdfmake)', ...doc.info, creationDate: date, modDate: date },
  };
  return pdfmake.createPdf(definition).getBuffer();
}
