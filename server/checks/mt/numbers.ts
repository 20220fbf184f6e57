/** PLACEHOLDER — being written; returns nothing yet. */
import type { MtCheck } from './types.js';

export const mtNumbersCheck: MtCheck = {
  id: 'mt-numbers',
  name: 'Numbers',
  description: 'Not built yet.',
  version: 0,
  run() {
    return [];
  },
};
