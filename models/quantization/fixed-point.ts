// Fixed-point arithmetic of TFLite's int8 kernels, stated once for the TS reference kernels and
// mirrored line for line by the C helper in models/exporters/c99/kernels/et_fixed_point.h.
//
// Quantization (TFLite schema.fbs): real = scale * (q - zeroPoint). Kernels add
// `inputOffset = -inputZeroPoint` and `filterOffset = -filterZeroPoint` before multiplying and
// `outputOffset = +outputZeroPoint` after rescaling.
//
// Rounding: TFLite's default "double rounding" build (TFLITE_SINGLE_ROUNDING unset), as in
// tensorflow/lite/kernels/internal/common.cc and gemmlowp fixedpoint.h:
// - SaturatingRoundingDoublingHighMul(a, b) = (a * b + nudge) / 2^31, truncated toward zero, with
//   nudge = 2^30 for a * b >= 0 and 1 - 2^30 otherwise, and INT32_MIN * INT32_MIN saturated to
//   INT32_MAX. A product of exactly -0.5 therefore rounds to 0 and +0.5 rounds to 1.
// - RoundingDivideByPOT(x, e) = x / 2^e rounded to nearest, ties away from zero, 0 <= e <= 31.
// - MultiplyByQuantizedMultiplier(x, m, shift) shifts left by max(shift, 0) (wrapping like
//   int32), applies SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT by max(-shift, 0).
// Legal shifts from QuantizeMultiplier are -31..30; multipliers are 0 or in [2^30, 2^31).

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

const TWO_POW_31 = 2n ** 31n;

/** Rounds half away from zero, like C's round() and TFLite's TfLiteRound. */
export function roundHalfAwayFromZero(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

/** Splits a positive real multiplier into a Q0.31 significand and a power-of-two exponent. */
export interface QuantizedMultiplier {
  /** Q0.31 significand in [2^30, 2^31), or 0 when the multiplier is 0 or below 2^-31. */
  multiplier: number;
  /** Power of two applied after the significand: positive shifts left, negative shifts right. */
  shift: number;
}

/**
 * Computes TFLite's QuantizeMultiplier: multiplier = significand * 2^shift with the significand
 * rounded (half away from zero) to 31 fractional bits. Multipliers below about 2^-31 flush to 0.
 */
export function quantizeMultiplier(realMultiplier: number): QuantizedMultiplier {
  if (!Number.isFinite(realMultiplier) || realMultiplier < 0) {
    throw new RangeError(`quantizeMultiplier: expected a finite multiplier >= 0, got ${realMultiplier}`);
  }
  if (realMultiplier === 0) return { multiplier: 0, shift: 0 };
  const [fraction, exponent] = frexp(realMultiplier);
  let shift = exponent;
  let significand = roundHalfAwayFromZero(fraction * 2 ** 31);
  if (significand === 2 ** 31) {
    significand /= 2;
    shift += 1;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  if (shift > 30) {
    throw new RangeError(`quantizeMultiplier: multiplier ${realMultiplier} needs a left shift of ${shift}, more than 30`);
  }
  return { multiplier: significand, shift };
}

/** Returns [fraction, exponent] with value = fraction * 2^exponent and fraction in [0.5, 1), like C frexp. */
export function frexp(value: number): [number, number] {
  if (value === 0 || !Number.isFinite(value)) return [value, 0];
  let exponent = Math.max(-1073, Math.floor(Math.log2(Math.abs(value))) + 1);
  let fraction = value * 2 ** -exponent;
  // log2 can be off by one near powers of two; both corrections are exact in binary.
  while (Math.abs(fraction) < 0.5) {
    fraction *= 2;
    exponent -= 1;
  }
  while (Math.abs(fraction) >= 1) {
    fraction /= 2;
    exponent += 1;
  }
  return [fraction, exponent];
}

export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const product = BigInt(a) * BigInt(b);
  const nudge = product >= 0n ? 1n << 30n : 1n - (1n << 30n);
  // BigInt division truncates toward zero, as C integer division does.
  return Number((product + nudge) / TWO_POW_31);
}

export function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent < 0 || exponent > 31) throw new RangeError(`roundingDivideByPOT: exponent ${exponent} is outside 0..31`);
  if (exponent === 0) return x;
  const mask = 2 ** exponent - 1;
  // x & mask on the two's complement bits, computed in floating point to stay exact for e = 31.
  const remainder = ((x % 2 ** exponent) + 2 ** exponent) % 2 ** exponent;
  const threshold = Math.floor(mask / 2) + (x < 0 ? 1 : 0);
  return Math.floor(x / 2 ** exponent) + (remainder > threshold ? 1 : 0);
}

/** Wraps an integer to int32 the way a C int32_t multiplication by a power of two does. */
function wrapInt32(value: number): number {
  return Number(BigInt.asIntN(32, BigInt(value)));
}

export function multiplyByQuantizedMultiplier(x: number, quantizedMultiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  const shifted = leftShift === 0 ? x : wrapInt32(x * 2 ** leftShift);
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, quantizedMultiplier), rightShift);
}

/** Multiplies by 2^exponent: saturating to int32 when exponent > 0, rounding to nearest when < 0. */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x * 2 ** exponent;
}

export function clamp(value: number, min: number, max: number): number {
  if (value < min) return min;
  if (value > max) return max;
  return value;
}
