/* QUANTIZE (float32 or int8/uint8 to int8/uint8), DEQUANTIZE (int8/uint8 to float32) and
 * CONCATENATION: TFLite reference_ops::AffineQuantize, Requantize, Dequantize, Concatenation. */
#include <math.h>
#include <string.h>
#include "et_fixed_point.h"
#include "et_kernels.h"

static void et_store(void *output, int output_is_signed, int32_t index, int32_t value) {
  if (output_is_signed) {
    ((int8_t *)output)[index] = (int8_t)value;
  } else {
    ((uint8_t *)output)[index] = (uint8_t)value;
  }
}

static int32_t et_load(const void *input, int input_is_signed, int32_t index) {
  return input_is_signed ? (int32_t)((const int8_t *)input)[index] : (int32_t)((const uint8_t *)input)[index];
}

void et_quantize_float(const EtQuantizeParams *p, const float *input, void *output, int output_is_signed) {
  int32_t i;
  for (i = 0; i < p->elements; ++i) {
    /* float division and roundf (half away from zero), as TFLite's AffineQuantize. */
    const float scaled = roundf(input[i] / p->output_scale);
    int32_t value;
    if (scaled > 2147483520.0f) {
      value = p->output_max;
    } else if (scaled < -2147483648.0f) {
      value = p->output_min;
    } else {
      value = (int32_t)scaled + p->output_zero_point;
    }
    et_store(output, output_is_signed, i, et_clamp(value, p->output_min, p->output_max));
  }
}

void et_requantize(const EtQuantizeParams *p, const void *input, int input_is_signed, void *output, int output_is_signed) {
  int32_t i;
  for (i = 0; i < p->elements; ++i) {
    const int32_t value =
        et_multiply_by_quantized_multiplier(et_load(input, input_is_signed, i) - p->input_zero_point, p->multiplier, p->shift) +
        p->output_zero_point;
    et_store(output, output_is_signed, i, et_clamp(value, p->output_min, p->output_max));
  }
}

void et_dequantize(const EtDequantizeParams *p, const void *input, int input_is_signed, float *output) {
  int32_t i;
  for (i = 0; i < p->elements; ++i) {
    output[i] = (float)(p->scale * (double)(et_load(input, input_is_signed, i) - p->zero_point));
  }
}

void et_concatenation(int32_t outer_size, int32_t count, const int32_t *copy_sizes, const uint8_t *const *inputs, uint8_t *output) {
  int32_t outer, i;
  for (outer = 0; outer < outer_size; ++outer) {
    for (i = 0; i < count; ++i) {
      memcpy(output, inputs[i] + outer * copy_sizes[i], (size_t)copy_sizes[i]);
      output += copy_sizes[i];
    }
  }
}
