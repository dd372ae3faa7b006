/* CONV_2D int8 per-channel: TFLite reference_integer_ops::ConvPerChannel. */
#include "et_fixed_point.h"
#include "et_kernels.h"

void et_conv_per_channel(const EtConvParams *p, const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output,
                         int32_t out_y_begin, int32_t out_y_end) {
  int32_t batch, out_y, out_x, out_channel, filter_y, filter_x, in_channel;
  for (batch = 0; batch < p->batches; ++batch) {
    for (out_y = out_y_begin; out_y < out_y_end; ++out_y) {
      const int32_t out_row = p->output_ring_rows ? out_y % p->output_ring_rows : batch * p->output_height + out_y;
      const int32_t in_y_origin = out_y * p->stride_height - p->padding_height;
      for (out_x = 0; out_x < p->output_width; ++out_x) {
        const int32_t in_x_origin = out_x * p->stride_width - p->padding_width;
        for (out_channel = 0; out_channel < p->output_channels; ++out_channel) {
          int32_t acc = 0;
          for (filter_y = 0; filter_y < p->filter_height; ++filter_y) {
            const int32_t in_y = in_y_origin + p->dilation_height * filter_y;
            int32_t in_row;
            if (in_y < 0 || in_y >= p->input_height) continue;
            in_row = p->input_ring_rows ? in_y % p->input_ring_rows : batch * p->input_height + in_y;
            for (filter_x = 0; filter_x < p->filter_width; ++filter_x) {
              const int32_t in_x = in_x_origin + p->dilation_width * filter_x;
              const int8_t *input_row;
              const int8_t *filter_row;
              /* Taps outside the input read the zero point, which contributes 0 after the offset. */
              if (in_x < 0 || in_x >= p->input_width) continue;
              input_row = input + (in_row * p->input_width + in_x) * p->input_channels;
              filter_row = filter + ((out_channel * p->filter_height + filter_y) * p->filter_width + filter_x) * p->input_channels;
              for (in_channel = 0; in_channel < p->input_channels; ++in_channel) {
                acc += (int32_t)filter_row[in_channel] * ((int32_t)input_row[in_channel] + p->input_offset);
              }
            }
          }
          if (bias != 0) acc += bias[out_channel];
          acc = et_multiply_by_quantized_multiplier(acc, p->output_multiplier[out_channel], p->output_shift[out_channel]);
          acc += p->output_offset;
          output[(out_row * p->output_width + out_x) * p->output_channels + out_channel] =
              (int8_t)et_clamp(acc, p->activation_min, p->activation_max);
        }
      }
    }
  }
}
