/* Camera frame to model input, with the arithmetic of models/images/preprocess.ts: centre square
 * crop, bilinear resize with half-pixel centres, BT.601 grayscale for 1-channel models,
 * x / 127.5 - 1, then quantization with the input scale and zero point. */
#ifndef ET_PREPROCESS_H
#define ET_PREPROCESS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  /* uint16_t per pixel, red in the high 5 bits; swap the two bytes first if the camera sends
   * big-endian pixels. */
  ET_PIXEL_RGB565 = 0,
  /* One byte per pixel. */
  ET_PIXEL_GRAY8 = 1,
  /* Three bytes per pixel: red, green, blue. */
  ET_PIXEL_RGB888 = 2
} EtPixelFormat;

/* Writes output_size * output_size * output_channels quantized values (int8 when output_is_signed,
 * else uint8) to `output`. Returns 0, or -1 when a size or channel count is invalid. */
int et_preprocess_frame(const void *frame, int32_t width, int32_t height, EtPixelFormat format, int32_t output_size,
                        int32_t output_channels, float input_scale, int32_t input_zero_point, int output_is_signed, void *output);

#ifdef __cplusplus
}
#endif

#endif
