/** PLACEHOLDER — being written; returns nothing yet. */
import type { MtCheck } from './types.js';

export const mtTermCheck: MtCheck = {
  id: 'mt-terms',
  name: 'Glossary terms',
  description: 'Not built yet.',
  version: 0,
  run() {
    return [];
  },
};
