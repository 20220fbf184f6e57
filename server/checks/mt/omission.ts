/** PLACEHOLDER — being written; returns nothing yet. */
import type { MtCheck } from './types.js';

export const omissionCheck: MtCheck = {
  id: 'mt-omission',
  name: 'Omissions',
  description: 'Not built yet.',
  version: 0,
  run() {
    return [];
  },
};
