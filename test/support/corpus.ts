import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpusDir } from '#infra/local/samples';

/** The shared corpus (../shared/corpus beside the repository; GONGKAI_CORPUS overrides). */
export const corpusUrl = pathToFileURL(corpusDir().endsWith('/') ? corpusDir() : `${corpusDir()}/`);
export const corpus = (rel: string): string => join(corpusDir(), rel);
export const bytes = (rel: string): Uint8Array => new Uint8Array(readFileSync(new URL(rel, corpusUrl)));
export const utf8 = (rel: string): string => readFileSync(new URL(rel, corpusUrl), 'utf8');

/** The five real notices, by their file stem in txt/, pdf/ and docx/. */
export const IDS = ['000_70017f665202e428', '001_635c498a68e213e6', '002_6bc38a5105b87f60', '003_947bd769dad19b2f', '004_a31f9dc5403041b8'] as const;
export type Id = (typeof IDS)[number];
