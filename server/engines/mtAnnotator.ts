/** PLACEHOLDER — the LLM MT annotator is being written. */
import type { MtFlag, TokenUsage } from '../core/types.js';

export interface MtAnnotation {
  flags: MtFlag[];
  usage?: TokenUsage;
}
