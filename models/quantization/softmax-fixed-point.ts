// gemmlowp fixed-point functions behind TFLite's int8 SOFTMAX (reference_ops::Softmax, which
// TFLite Micro runs for int8 input and output): exp of a non-positive Q5.26 value and the
// reciprocal of the sum of exponentials. Raw values are int32; int32 additions here cannot
// overflow for the ranges SOFTMAX feeds in, and `| 0` keeps them int32 as C does.
// Constants are gemmlowp's Q0.31 and Q2.29 encodings of exp(-1/8), 1/3, exp(-2^k), 48/17, -32/17.

import {
  INT32_MAX,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul as mul,
  saturatingRoundingMultiplyByPOT,
} from './fixed-point.js';

/** Integer bits of the rescaled input difference (Q5.26), kScaledDiffIntegerBits in TFLite. */
export const SCALED_DIFF_INTEGER_BITS = 5;
/** Integer bits of the sum of exponentials (Q12.19), kAccumulationIntegerBits in TFLite. */
export const ACCUMULATION_INTEGER_BITS = 12;

const EXP_MINUS_ONE_EIGHTH_Q31 = 1895147668;
const ONE_THIRD_Q31 = 715827883;
/** exp(-2^k) in Q0.31 for k = -2..4, applied for each set bit of the input's integer part. */
const EXP_BARREL_MULTIPLIERS: readonly (readonly [number, number])[] = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];
const FORTY_EIGHT_OVER_SEVENTEEN_Q29 = 1515870810;
const MINUS_THIRTY_TWO_OVER_SEVENTEEN_Q29 = -1010580540;

/** exp(a) for a in [-1/4, 0), input and output Q0.31. */
function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const x = (a + (1 << 28)) | 0;
  const x2 = mul(x, x);
  const x3 = mul(x2, x);
  const x4 = mul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const polynomial = roundingDivideByPOT((mul((x4Over4 + x3) | 0, ONE_THIRD_Q31) + x2) | 0, 1);
  return (EXP_MINUS_ONE_EIGHTH_Q31 + mul(EXP_MINUS_ONE_EIGHTH_Q31, (x + polynomial) | 0)) | 0;
}

/** exp(a) for a <= 0 given in Q(integerBits).(31 - integerBits); returns Q0.31. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const aModQuarterMinusOneQuarter = ((a & (oneQuarter - 1)) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(
    saturatingRoundingMultiplyByPOT(aModQuarterMinusOneQuarter, integerBits),
  );
  const remainder = (aModQuarterMinusOneQuarter - a) | 0;
  for (const [exponent, multiplier] of EXP_BARREL_MULTIPLIERS) {
    if (integerBits > exponent && (remainder & (1 << (fractionalBits + exponent))) !== 0) {
      result = mul(result, multiplier);
    }
  }
  if (integerBits > 5 && a < -(1 << (36 - integerBits))) result = 0;
  return a === 0 ? INT32_MAX : result;
}

/** 1 / (1 + a) for a in [0, 1), input and output Q0.31, by three Newton-Raphson steps. */
export function oneOverOnePlusXForXIn0To1(a: number): number {
  const sum = a + INT32_MAX;
  const halfDenominator = Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
  let x = (FORTY_EIGHT_OVER_SEVENTEEN_Q29 + mul(halfDenominator, MINUS_THIRTY_TWO_OVER_SEVENTEEN_Q29)) | 0;
  const oneQ29 = 1 << 29;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = mul(halfDenominator, x);
    const oneMinusHalfDenominatorTimesX = (oneQ29 - halfDenominatorTimesX) | 0;
    x = (x + saturatingRoundingMultiplyByPOT(mul(x, oneMinusHalfDenominatorTimesX), 2)) | 0;
  }
  return saturatingRoundingMultiplyByPOT(x, 1);
}

export function countLeadingZeros32(value: number): number {
  return Math.clz32(value);
}

/**
 * TFLite's GetReciprocal: returns 1 / x as a Q0.31 value scaled by 2^-numBitsOverUnit, for
 * x > 0 given with `integerBits` integer bits.
 */
export function getReciprocal(x: number, integerBits: number): { reciprocal: number; numBitsOverUnit: number } {
  const headroomPlusOne = countLeadingZeros32(x);
  const numBitsOverUnit = integerBits - headroomPlusOne;
  const shiftedSumMinusOne = (((x >>> 0) * 2 ** headroomPlusOne) % 2 ** 32) - 2 ** 31;
  return { reciprocal: oneOverOnePlusXForXIn0To1(shiftedSumMinusOne | 0), numBitsOverUnit };
}
