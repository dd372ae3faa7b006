/* Fixed-point arithmetic of TFLite's int8 kernels, the C twin of models/quantization/fixed-point.ts
 * and softmax-fixed-point.ts; that file states the rounding rules. Both are tested with the same
 * vector file. Only integer arithmetic: multipliers and shifts come from the exporter. */
#ifndef ET_FIXED_POINT_H
#define ET_FIXED_POINT_H

#include <stdint.h>

static inline int32_t et_saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  int64_t product;
  int64_t nudge;
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  product = (int64_t)a * (int64_t)b;
  nudge = product >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
  /* C99 integer division truncates toward zero, as TFLite relies on. */
  return (int32_t)((product + nudge) / ((int64_t)1 << 31));
}

/* x / 2^exponent rounded to nearest, ties away from zero; 0 <= exponent <= 31. */
static inline int32_t et_rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  /* Right shift of a negative int32 is arithmetic on every compiler this code targets
   * (gcc, clang, arm-none-eabi-gcc, xtensa-esp32-elf-gcc). */
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

static inline int32_t et_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  /* The left shift wraps like TFLite's x * (1 << left_shift); unsigned math keeps that defined. */
  const int32_t shifted = (int32_t)((uint32_t)x << left_shift);
  return et_rounding_divide_by_pot(et_saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

/* x * 2^exponent, saturating for exponent > 0 and rounding to nearest for exponent < 0. */
static inline int32_t et_saturating_rounding_multiply_by_pot(int32_t x, int exponent) {
  int32_t threshold;
  if (exponent == 0) return x;
  if (exponent < 0) return et_rounding_divide_by_pot(x, -exponent);
  threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

static inline int32_t et_clamp(int32_t value, int32_t min, int32_t max) {
  return value < min ? min : (value > max ? max : value);
}

#endif
