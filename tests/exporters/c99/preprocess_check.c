/* Runs et_preprocess_frame on a raw RGB565 frame file and writes the int8 model input.
 * Usage: preprocess FRAME WIDTH HEIGHT SIZE CHANNELS SCALE ZERO_POINT OUT */
#include <stdio.h>
#include <stdlib.h>
#include "et_preprocess.h"

int main(int argc, char **argv) {
  int32_t width, height, size, channels;
  uint16_t *frame;
  int8_t *output;
  FILE *file;
  if (argc != 9) return 2;
  width = atoi(argv[2]);
  height = atoi(argv[3]);
  size = atoi(argv[4]);
  channels = atoi(argv[5]);
  frame = (uint16_t *)malloc((size_t)(width * height) * sizeof *frame);
  output = (int8_t *)malloc((size_t)(size * size * channels));
  file = fopen(argv[1], "rb");
  if (frame == NULL || output == NULL || file == NULL) return 2;
  if (fread(frame, sizeof *frame, (size_t)(width * height), file) != (size_t)(width * height)) return 2;
  fclose(file);
  if (et_preprocess_frame(frame, width, height, ET_PIXEL_RGB565, size, channels, (float)atof(argv[6]), atoi(argv[7]), 1, output) != 0) {
    return 1;
  }
  file = fopen(argv[8], "wb");
  if (file == NULL) return 2;
  fwrite(output, 1, (size_t)(size * size * channels), file);
  fclose(file);
  free(frame);
  free(output);
  return 0;
}
