/**
 * Writes src/kb/generated/observation-search-codes.json from the lab concepts (src/kb/labs.ts), so
 * the loader can filter searches without shipping the value sets in the app's first chunk.
 * Run by `npm run codelists` after the value sets; a test checks the file is current.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { observationSearchCodes } from '../kb/observation-search';

const out = join(import.meta.dirname, '../kb/generated/observation-search-codes.json');
writeFileSync(out, `${JSON.stringify(observationSearchCodes(), null, 1)}\n`);
process.stdout.write(`wrote ${out}\n`);
