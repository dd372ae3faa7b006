/* Portable C99 int8 kernels of the Edge Trainer C export. Each function matches the TS reference
 * kernel of the same TFLite name in models/reference/ bit for bit. Parameters (multipliers, shifts,
 * offsets, shapes) are computed by the exporter; the kernels use integer arithmetic only, except
 * QUANTIZE from float and DEQUANTIZE to float. Layouts are NHWC; filters OHWI (CONV_2D),
 * 1HWO (DEPTHWISE_CONV_2D) and [output, input] (FULLY_CONNECTED). */
#ifndef ET_KERNELS_H
#define ET_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t input_offset, output_offset, activation_min, activation_max;
  int32_t stride_height, stride_width, dilation_height, dilation_width, padding_height, padding_width;
  int32_t batches, input_height, input_width, input_channels;
  int32_t output_height, output_width, output_channels, filter_height, filter_width;
  int32_t depth_multiplier; /* DEPTHWISE_CONV_2D only */
  const int32_t *output_multiplier, *output_shift;
  /* Row-streamed execution (batch 1 only): when nonzero, the tensor is a ring of this many rows
   * and row y lives at row y % ring_rows. 0 means the whole tensor is stored. */
  int32_t input_ring_rows, output_ring_rows;
} EtConvParams;

typedef struct {
  int32_t input_offset, filter_offset, output_offset, activation_min, activation_max;
  int32_t batches, accum_depth, output_depth;
  const int32_t *output_multiplier, *output_shift;
} EtFullyConnectedParams;

typedef struct {
  int32_t activation_min, activation_max;
  int32_t stride_height, stride_width, filter_height, filter_width, padding_height, padding_width;
  int32_t batches, input_height, input_width, channels, output_height, output_width;
} EtPoolParams;

typedef struct {
  int32_t input_shape[4], reduced[4];
  int32_t zero_point_sum, output_zero_point, output_multiplier, output_shift;
} EtMeanParams;

typedef struct {
  int32_t input1_offset, input2_offset, output_offset, left_shift;
  int32_t input1_multiplier, input1_shift, input2_multiplier, input2_shift, output_multiplier, output_shift;
  int32_t activation_min, activation_max;
  int32_t output_shape[4], input1_strides[4], input2_strides[4];
} EtAddParams;

typedef struct {
  int32_t input_shape[4], output_shape[4], before[4];
  int32_t pad_value;
} EtPadParams;

typedef struct {
  int32_t outer_size, depth, input_multiplier, input_left_shift, diff_min;
} EtSoftmaxParams;

typedef struct {
  int32_t elements, output_zero_point, output_min, output_max;
  float output_scale;                          /* float input */
  int32_t input_zero_point, multiplier, shift; /* int8/uint8 input */
} EtQuantizeParams;

typedef struct {
  int32_t elements, zero_point;
  double scale;
} EtDequantizeParams;

/* The convolutions compute output rows [out_y_begin, out_y_end) of every batch. */
void et_conv_per_channel(const EtConvParams *p, const int8_t *input, const int8_t *filter, const int32_t *bias, int8_t *output,
                         int32_t out_y_begin, int32_t out_y_end);
void et_depthwise_conv_per_channel(const EtConvParams *p, const int8_t *input, const int8_t *filter, const int32_t *bias,
                                   int8_t *output, int32_t out_y_begin, int32_t out_y_end);
void et_fully_connected(const EtFullyConnectedParams *p, const int8_t *input, const int8_t *filter, const int32_t *bias,
                        int8_t *output);
void et_average_pool(const EtPoolParams *p, const int8_t *input, int8_t *output);
void et_max_pool(const EtPoolParams *p, const int8_t *input, int8_t *output);
void et_mean(const EtMeanParams *p, const int8_t *input, int8_t *output);
void et_add(const EtAddParams *p, const int8_t *input1, const int8_t *input2, int8_t *output);
void et_pad_int8(const EtPadParams *p, const int8_t *input, int8_t *output);
void et_pad_uint8(const EtPadParams *p, const uint8_t *input, uint8_t *output);
void et_softmax(const EtSoftmaxParams *p, const int8_t *input, int8_t *output);
void et_quantize_float(const EtQuantizeParams *p, const float *input, void *output, int output_is_signed);
void et_requantize(const EtQuantizeParams *p, const void *input, int input_is_signed, void *output, int output_is_signed);
void et_dequantize(const EtDequantizeParams *p, const void *input, int input_is_signed, float *output);
/* Copies `count` inputs of `copy_sizes[i]` bytes per outer step, one after the other. */
void et_concatenation(int32_t outer_size, int32_t count, const int32_t *copy_sizes, const uint8_t *const *inputs, uint8_t *output);

#ifdef __cplusplus
}
#endif

#endif
