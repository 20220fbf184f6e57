/** PLACEHOLDER — being written; returns nothing yet. */
import type { MtCheck } from './types.js';

export const mtNamesCheck: MtCheck = {
  id: 'mt-names',
  name: 'Names',
  description: 'Not built yet.',
  version: 0,
  run() {
    return [];
  },
};
