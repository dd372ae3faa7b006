/* ADD int8 with 4-D broadcasting: TFLite reference_integer_ops::Add. */
#include "et_fixed_point.h"
#include "et_kernels.h"

void et_add(const EtAddParams *p, const int8_t *input1, const int8_t *input2, int8_t *output) {
  const int32_t *shape = p->output_shape;
  const int32_t *s1 = p->input1_strides;
  const int32_t *s2 = p->input2_strides;
  int32_t i0, i1, i2, i3;
  int32_t output_index = 0;
  for (i0 = 0; i0 < shape[0]; ++i0) {
    for (i1 = 0; i1 < shape[1]; ++i1) {
      for (i2 = 0; i2 < shape[2]; ++i2) {
        for (i3 = 0; i3 < shape[3]; ++i3) {
          const int32_t value1 = input1[i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3]] + p->input1_offset;
          const int32_t value2 = input2[i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3]] + p->input2_offset;
          /* |value| <= 255, so value * 2^20 fits in int32 with 11 bits to spare. */
          const int32_t scaled1 =
              et_multiply_by_quantized_multiplier(value1 * ((int32_t)1 << p->left_shift), p->input1_multiplier, p->input1_shift);
          const int32_t scaled2 =
              et_multiply_by_quantized_multiplier(value2 * ((int32_t)1 << p->left_shift), p->input2_multiplier, p->input2_shift);
          const int32_t sum =
              et_multiply_by_quantized_multiplier(scaled1 + scaled2, p->output_multiplier, p->output_shift) + p->output_offset;
          output[output_index++] = (int8_t)et_clamp(sum, p->activation_min, p->activation_max);
        }
      }
    }
  }
}
