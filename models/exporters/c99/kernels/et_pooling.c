/* AVERAGE_POOL_2D and MAX_POOL_2D int8: TFLite reference_integer_ops::AveragePool and MaxPool over
 * the part of each window inside the input. Input and output share scale and zero point. */
#include "et_fixed_point.h"
#include "et_kernels.h"

static void et_pool(const EtPoolParams *p, const int8_t *input, int8_t *output, int is_average) {
  int32_t batch, out_y, out_x, channel, filter_y, filter_x;
  for (batch = 0; batch < p->batches; ++batch) {
    for (out_y = 0; out_y < p->output_height; ++out_y) {
      for (out_x = 0; out_x < p->output_width; ++out_x) {
        const int32_t in_x_origin = out_x * p->stride_width - p->padding_width;
        const int32_t in_y_origin = out_y * p->stride_height - p->padding_height;
        const int32_t filter_x_start = in_x_origin < 0 ? -in_x_origin : 0;
        const int32_t filter_x_end = p->filter_width < p->input_width - in_x_origin ? p->filter_width : p->input_width - in_x_origin;
        const int32_t filter_y_start = in_y_origin < 0 ? -in_y_origin : 0;
        const int32_t filter_y_end =
            p->filter_height < p->input_height - in_y_origin ? p->filter_height : p->input_height - in_y_origin;
        for (channel = 0; channel < p->channels; ++channel) {
          int32_t acc = is_average ? 0 : -128;
          int32_t count = 0;
          for (filter_y = filter_y_start; filter_y < filter_y_end; ++filter_y) {
            for (filter_x = filter_x_start; filter_x < filter_x_end; ++filter_x) {
              const int32_t value =
                  input[((batch * p->input_height + in_y_origin + filter_y) * p->input_width + in_x_origin + filter_x) * p->channels +
                        channel];
              if (is_average) {
                acc += value;
              } else if (value > acc) {
                acc = value;
              }
              ++count;
            }
          }
          /* Rounds the mean half away from zero; the exporter rejects windows outside the input. */
          if (is_average && count > 0) acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          output[((batch * p->output_height + out_y) * p->output_width + out_x) * p->channels + channel] =
              (int8_t)et_clamp(acc, p->activation_min, p->activation_max);
        }
      }
    }
  }
}

void et_average_pool(const EtPoolParams *p, const int8_t *input, int8_t *output) { et_pool(p, input, output, 1); }

void et_max_pool(const EtPoolParams *p, const int8_t *input, int8_t *output) { et_pool(p, input, output, 0); }
