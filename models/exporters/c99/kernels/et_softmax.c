/* SOFTMAX int8 -> int8 (output scale 1/256, zero point -128): TFLite reference_ops::Softmax with
 * gemmlowp fixed point, as TFLite Micro runs it. Mirrors models/quantization/softmax-fixed-point.ts. */
#include "et_fixed_point.h"
#include "et_kernels.h"

#define ET_SCALED_DIFF_INTEGER_BITS 5
#define ET_ACCUMULATION_INTEGER_BITS 12

/* exp(a) for a in [-1/4, 0), Q0.31 in and out; a Taylor expansion around -1/8. */
static int32_t et_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668;
  const int32_t one_third = 715827883;
  const int32_t x = a + ((int32_t)1 << 28);
  const int32_t x2 = et_saturating_rounding_doubling_high_mul(x, x);
  const int32_t x3 = et_saturating_rounding_doubling_high_mul(x2, x);
  const int32_t x4 = et_saturating_rounding_doubling_high_mul(x2, x2);
  const int32_t x4_over_4 = et_rounding_divide_by_pot(x4, 2);
  const int32_t polynomial =
      et_rounding_divide_by_pot(et_saturating_rounding_doubling_high_mul(x4_over_4 + x3, one_third) + x2, 1);
  return exp_minus_one_eighth + et_saturating_rounding_doubling_high_mul(exp_minus_one_eighth, x + polynomial);
}

/* exp(a) for a <= 0 in Q5.26; returns Q0.31. */
static int32_t et_exp_on_negative_values(int32_t a) {
  static const int32_t barrel_multipliers[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  const int fractional_bits = 31 - ET_SCALED_DIFF_INTEGER_BITS;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t a_mod_quarter_minus_one_quarter = (a & (one_quarter - 1)) - one_quarter;
  int32_t result = et_exp_on_interval_between_negative_one_quarter_and_0_excl(
      et_saturating_rounding_multiply_by_pot(a_mod_quarter_minus_one_quarter, ET_SCALED_DIFF_INTEGER_BITS));
  const int32_t remainder = a_mod_quarter_minus_one_quarter - a;
  int exponent;
  /* Multiplies by exp(-2^exponent) for each set bit of the integer part, exponent = -2..4. */
  for (exponent = -2; exponent <= 4; ++exponent) {
    if (remainder & ((int32_t)1 << (fractional_bits + exponent))) {
      result = et_saturating_rounding_doubling_high_mul(result, barrel_multipliers[exponent + 2]);
    }
  }
  return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + a) for a in [0, 1), Q0.31 in and out, by Newton-Raphson with 48/17 and -32/17 in Q2.29. */
static int32_t et_one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int64_t sum = (int64_t)a + INT32_MAX;
  const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
  const int32_t one_q29 = (int32_t)1 << 29;
  int32_t x = 1515870810 + et_saturating_rounding_doubling_high_mul(half_denominator, -1010580540);
  int i;
  for (i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = et_saturating_rounding_doubling_high_mul(half_denominator, x);
    const int32_t one_minus_half_denominator_times_x = one_q29 - half_denominator_times_x;
    x = x + et_saturating_rounding_multiply_by_pot(et_saturating_rounding_doubling_high_mul(x, one_minus_half_denominator_times_x), 2);
  }
  return et_saturating_rounding_multiply_by_pot(x, 1);
}

static int et_count_leading_zeros(uint32_t value) {
  int count = 0;
  if (value == 0) return 32;
  while ((value & 0x80000000u) == 0) {
    value <<= 1;
    ++count;
  }
  return count;
}

void et_softmax(const EtSoftmaxParams *p, const int8_t *input, int8_t *output) {
  int32_t row, c;
  for (row = 0; row < p->outer_size; ++row) {
    const int8_t *in = input + row * p->depth;
    int8_t *out = output + row * p->depth;
    int32_t max_in_row = -128;
    int32_t sum_of_exps = 0;
    int headroom_plus_one, num_bits_over_unit, exponent;
    int32_t reciprocal;
    for (c = 0; c < p->depth; ++c) {
      if (in[c] > max_in_row) max_in_row = in[c];
    }
    for (c = 0; c < p->depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= p->diff_min) {
        const int32_t rescaled = et_multiply_by_quantized_multiplier(diff, p->input_multiplier, p->input_left_shift);
        sum_of_exps += et_rounding_divide_by_pot(et_exp_on_negative_values(rescaled), ET_ACCUMULATION_INTEGER_BITS);
      }
    }
    /* GetReciprocal: normalizes the Q12.19 sum to [1, 2) and inverts it. */
    headroom_plus_one = et_count_leading_zeros((uint32_t)sum_of_exps);
    num_bits_over_unit = ET_ACCUMULATION_INTEGER_BITS - headroom_plus_one;
    reciprocal = et_one_over_one_plus_x_for_x_in_0_1(
        (int32_t)(((uint32_t)sum_of_exps << headroom_plus_one) - ((uint32_t)1 << 31)));
    exponent = num_bits_over_unit + 31 - 8;
    for (c = 0; c < p->depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= p->diff_min) {
        const int32_t rescaled = et_multiply_by_quantized_multiplier(diff, p->input_multiplier, p->input_left_shift);
        const int32_t unsaturated = et_rounding_divide_by_pot(
            et_saturating_rounding_doubling_high_mul(reciprocal, et_exp_on_negative_values(rescaled)), exponent);
        out[c] = (int8_t)et_clamp(unsaturated - 128, -128, 127);
      } else {
        out[c] = -128;
      }
    }
  }
}
