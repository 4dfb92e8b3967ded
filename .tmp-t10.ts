import { readFileSync } from 'node:fs';
import { extractDocument } from '#shared/extract/index';
const ex = await extractDocument(readFileSync('/work/shared/corpus/pdf/000_70017f665202e428.pdf'));
const i = ex.text.indexOf('2017'); console.log(JSON.stringify(ex.text.slice(i - 30, i + 30)));
