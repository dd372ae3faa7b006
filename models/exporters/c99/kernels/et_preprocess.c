/* Camera frame preprocessing; see et_preprocess.h. Interpolation runs in double, as the TS
 * preprocessing does, so both give the same float input before quantization. */
#include <math.h>
#include "et_preprocess.h"

static void et_read_pixel(const void *frame, int32_t width, EtPixelFormat format, int32_t x, int32_t y, double rgb[3]) {
  const int32_t index = y * width + x;
  if (format == ET_PIXEL_RGB565) {
    const uint16_t pixel = ((const uint16_t *)frame)[index];
    const uint32_t red = (pixel >> 11) & 0x1f, green = (pixel >> 5) & 0x3f, blue = pixel & 0x1f;
    /* Bit replication maps 5- and 6-bit values onto the full 0..255 range. */
    rgb[0] = (double)((red << 3) | (red >> 2));
    rgb[1] = (double)((green << 2) | (green >> 4));
    rgb[2] = (double)((blue << 3) | (blue >> 2));
  } else if (format == ET_PIXEL_GRAY8) {
    const double value = (double)((const uint8_t *)frame)[index];
    rgb[0] = value;
    rgb[1] = value;
    rgb[2] = value;
  } else {
    const uint8_t *pixel = (const uint8_t *)frame + index * 3;
    rgb[0] = (double)pixel[0];
    rgb[1] = (double)pixel[1];
    rgb[2] = (double)pixel[2];
  }
}

static void et_store_quantized(void *output, int output_is_signed, int32_t index, double value, float input_scale,
                               int32_t input_zero_point) {
  const float real = (float)(value / 127.5 - 1.0);
  const int32_t min = output_is_signed ? -128 : 0;
  const int32_t max = output_is_signed ? 127 : 255;
  int32_t q = (int32_t)roundf(real / input_scale) + input_zero_point;
  q = q < min ? min : (q > max ? max : q);
  if (output_is_signed) {
    ((int8_t *)output)[index] = (int8_t)q;
  } else {
    ((uint8_t *)output)[index] = (uint8_t)q;
  }
}

int et_preprocess_frame(const void *frame, int32_t width, int32_t height, EtPixelFormat format, int32_t output_size,
                        int32_t output_channels, float input_scale, int32_t input_zero_point, int output_is_signed, void *output) {
  const int32_t side = width < height ? width : height;
  const int32_t left = (width - side) / 2;
  const int32_t top = (height - side) / 2;
  const double scale = (double)side / (double)output_size;
  int32_t out_y, out_x, c;
  if (side <= 0 || output_size <= 0 || (output_channels != 1 && output_channels != 3)) return -1;
  for (out_y = 0; out_y < output_size; ++out_y) {
    double source_y = ((double)out_y + 0.5) * scale - 0.5;
    int32_t y0, y1;
    double dy;
    source_y = source_y < 0.0 ? 0.0 : (source_y > (double)(side - 1) ? (double)(side - 1) : source_y);
    y0 = (int32_t)floor(source_y);
    y1 = y0 + 1 < side ? y0 + 1 : side - 1;
    dy = source_y - (double)y0;
    for (out_x = 0; out_x < output_size; ++out_x) {
      double source_x = ((double)out_x + 0.5) * scale - 0.5;
      int32_t x0, x1;
      double dx;
      double top_left[3], top_right[3], bottom_left[3], bottom_right[3], rgb[3];
      const int32_t pixel = out_y * output_size + out_x;
      source_x = source_x < 0.0 ? 0.0 : (source_x > (double)(side - 1) ? (double)(side - 1) : source_x);
      x0 = (int32_t)floor(source_x);
      x1 = x0 + 1 < side ? x0 + 1 : side - 1;
      dx = source_x - (double)x0;
      et_read_pixel(frame, width, format, left + x0, top + y0, top_left);
      et_read_pixel(frame, width, format, left + x1, top + y0, top_right);
      et_read_pixel(frame, width, format, left + x0, top + y1, bottom_left);
      et_read_pixel(frame, width, format, left + x1, top + y1, bottom_right);
      for (c = 0; c < 3; ++c) {
        const double upper = top_left[c] + (top_right[c] - top_left[c]) * dx;
        const double lower = bottom_left[c] + (bottom_right[c] - bottom_left[c]) * dx;
        rgb[c] = upper + (lower - upper) * dy;
      }
      if (output_channels == 1) {
        et_store_quantized(output, output_is_signed, pixel, 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2], input_scale,
                           input_zero_point);
      } else {
        for (c = 0; c < 3; ++c) et_store_quantized(output, output_is_signed, pixel * 3 + c, rgb[c], input_scale, input_zero_point);
      }
    }
  }
  return 0;
}
