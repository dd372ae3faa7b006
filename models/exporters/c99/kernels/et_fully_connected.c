/* FULLY_CONNECTED int8: TFLite reference_integer_ops::FullyConnected (per-tensor or per-channel). */
#include "et_fixed_point.h"
#include "et_kernels.h"

void et_fully_connected(const EtFullyConnectedParams *p, const int8_t *input, const int8_t *filter, const int32_t *bias,
                        int8_t *output) {
  int32_t batch, out_channel, d;
  for (batch = 0; batch < p->batches; ++batch) {
    const int8_t *input_row = input + batch * p->accum_depth;
    for (out_channel = 0; out_channel < p->output_depth; ++out_channel) {
      const int8_t *filter_row = filter + out_channel * p->accum_depth;
      int32_t acc = 0;
      for (d = 0; d < p->accum_depth; ++d) {
        acc += ((int32_t)filter_row[d] + p->filter_offset) * ((int32_t)input_row[d] + p->input_offset);
      }
      if (bias != 0) acc += bias[out_channel];
      acc = et_multiply_by_quantized_multiplier(acc, p->output_multiplier[out_channel], p->output_shift[out_channel]);
      acc += p->output_offset;
      output[batch * p->output_depth + out_channel] = (int8_t)et_clamp(acc, p->activation_min, p->activation_max);
    }
  }
}
