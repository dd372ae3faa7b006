/* PAD and PADV2 for int8 and uint8 tensors up to 4-D. */
#include "et_kernels.h"

#define ET_PAD_BODY(value_type)                                                                                   \
  const int32_t *o = p->output_shape;                                                                             \
  const int32_t *in = p->input_shape;                                                                             \
  int32_t a, b, c, d;                                                                                             \
  int32_t output_index = 0;                                                                                       \
  for (a = 0; a < o[0]; ++a) {                                                                                    \
    for (b = 0; b < o[1]; ++b) {                                                                                  \
      for (c = 0; c < o[2]; ++c) {                                                                                \
        for (d = 0; d < o[3]; ++d) {                                                                              \
          const int32_t x0 = a - p->before[0], x1 = b - p->before[1], x2 = c - p->before[2], x3 = d - p->before[3]; \
          const int inside = x0 >= 0 && x0 < in[0] && x1 >= 0 && x1 < in[1] && x2 >= 0 && x2 < in[2] && x3 >= 0 &&  \
                             x3 < in[3];                                                                          \
          output[output_index++] =                                                                                \
              inside ? input[((x0 * in[1] + x1) * in[2] + x2) * in[3] + x3] : (value_type)p->pad_value;           \
        }                                                                                                         \
      }                                                                                                           \
    }                                                                                                             \
  }

void et_pad_int8(const EtPadParams *p, const int8_t *input, int8_t *output) { ET_PAD_BODY(int8_t) }

void et_pad_uint8(const EtPadParams *p, const uint8_t *input, uint8_t *output) { ET_PAD_BODY(uint8_t) }
