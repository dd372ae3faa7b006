/* MEAN int8: TFLite reference_ops::QuantizedMeanOrSum as TFLite Micro runs it; 1/count is folded
 * into output_multiplier by the exporter. */
#include "et_fixed_point.h"
#include "et_kernels.h"

void et_mean(const EtMeanParams *p, const int8_t *input, int8_t *output) {
  const int32_t *d = p->input_shape;
  int32_t out_shape[4];
  int32_t o0, o1, o2, o3, i0, i1, i2, i3, k;
  int32_t output_index = 0;
  for (k = 0; k < 4; ++k) out_shape[k] = p->reduced[k] ? 1 : d[k];
  for (o0 = 0; o0 < out_shape[0]; ++o0) {
    for (o1 = 0; o1 < out_shape[1]; ++o1) {
      for (o2 = 0; o2 < out_shape[2]; ++o2) {
        for (o3 = 0; o3 < out_shape[3]; ++o3) {
          int32_t sum = 0;
          int32_t value;
          for (i0 = p->reduced[0] ? 0 : o0; i0 < (p->reduced[0] ? d[0] : o0 + 1); ++i0) {
            for (i1 = p->reduced[1] ? 0 : o1; i1 < (p->reduced[1] ? d[1] : o1 + 1); ++i1) {
              for (i2 = p->reduced[2] ? 0 : o2; i2 < (p->reduced[2] ? d[2] : o2 + 1); ++i2) {
                for (i3 = p->reduced[3] ? 0 : o3; i3 < (p->reduced[3] ? d[3] : o3 + 1); ++i3) {
                  sum += input[((i0 * d[1] + i1) * d[2] + i2) * d[3] + i3];
                }
              }
            }
          }
          value = et_multiply_by_quantized_multiplier(sum - p->zero_point_sum, p->output_multiplier, p->output_shift) +
                  p->output_zero_point;
          output[output_index++] = (int8_t)et_clamp(value, -128, 127);
        }
      }
    }
  }
}
