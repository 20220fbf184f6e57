/** PLACEHOLDER — being written; returns nothing yet. */
import type { MtCheck } from './types.js';

export const untranslatedCheck: MtCheck = {
  id: 'mt-untranslated',
  name: 'Untranslated',
  description: 'Not built yet.',
  version: 0,
  run() {
    return [];
  },
};
