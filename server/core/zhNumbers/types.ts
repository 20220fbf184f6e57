/** The number expressions `extractZhNumbers` finds, and the raw readings it builds them from. */
export type ZhNumberKind = 'number' | 'percent' | 'points' | 'multiple' | 'fraction' | 'year' | 'decade' | 'month' | 'day' | 'ordinal';

export interface ZhReading {
  kind: ZhNumberKind;
  /** Inclusive range; min === max for an exact value. */
  min: number;
  max: number;
}

export interface ZhNumber {
  text: string;
  span: [number, number];
  /** The value as written (the lower end of a range), for messages. */
  value: number;
  kind: ZhNumberKind;
  readings: ZhReading[];
  /** An explicit or colloquial range (3至5, 400万至600万, 三四): its two ends, which a translation keeps in order. */
  range?: [number, number];
  /**
   * 约, 近, 超过, 多, 余, 左右 and the like: the source hedges, the translation says "about",
   * "nearly", "more than" — and keeps the written figure, which is the reading.
   */
  approximate?: boolean;
}

/** A number expression as first read, before its kind (from the words around it) is known. */
export interface Raw {
  start: number;
  end: number;
  min: number;
  max: number;
  /** The values an explicit or colloquial range stands for (its ends); absent: [min, max] as one reading. */
  points?: number[];
  /** 一万六七千 may come out as "about 16,500": the middle of a colloquial range, for amounts. */
  mid?: number;
  arabic: boolean;
  positional: boolean;
  approximate?: boolean;
  /** 三点五: needs a measure word or scale, or 一点一滴 would be 1.1. */
  decimal?: boolean;
  /** A kind known from the pattern (dates, fractions): the suffix rules do not apply. */
  preset?: ZhNumberKind;
  /** Extra readings a preset pattern brings (a fraction as a percentage). */
  extra?: ZhReading[];
}
