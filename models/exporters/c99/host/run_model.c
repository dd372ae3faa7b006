/* Host runner of the generated model: reads one raw input tensor (the model's input type,
 * little-endian) from the file named by argv[1], runs the model, and prints each output value on
 * its own line, then "arena_bytes N" and "flash_bytes N". Exit status 2 on a bad input file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

static void print_output(int index) {
  const ModelTensorInfo *info = model_output_info(index);
  const void *data = model_output(index);
  size_t i;
  if (strcmp(info->type, "int8") == 0) {
    for (i = 0; i < info->bytes; ++i) printf("%d\n", ((const int8_t *)data)[i]);
  } else if (strcmp(info->type, "uint8") == 0) {
    for (i = 0; i < info->bytes; ++i) printf("%d\n", ((const uint8_t *)data)[i]);
  } else if (strcmp(info->type, "int16") == 0) {
    for (i = 0; i < info->bytes / 2; ++i) printf("%d\n", ((const int16_t *)data)[i]);
  } else if (strcmp(info->type, "int32") == 0) {
    for (i = 0; i < info->bytes / 4; ++i) printf("%ld\n", (long)((const int32_t *)data)[i]);
  } else {
    for (i = 0; i < info->bytes / 4; ++i) printf("%.9g\n", (double)((const float *)data)[i]);
  }
}

int main(int argc, char **argv) {
  const ModelTensorInfo *info = model_input_info(0);
  unsigned char *buffer;
  size_t read_bytes;
  FILE *file;
  int i;

  if (argc != 2) {
    fprintf(stderr, "usage: %s INPUT_FILE\n  INPUT_FILE contains %lu bytes: input \"%s\" as raw %s values, little-endian.\n", argv[0],
            (unsigned long)info->bytes, info->name, info->type);
    return 2;
  }
  file = fopen(argv[1], "rb");
  if (file == NULL) {
    fprintf(stderr, "error: cannot open input file %s\n", argv[1]);
    return 2;
  }
  buffer = (unsigned char *)malloc(info->bytes + 1);
  if (buffer == NULL) {
    fclose(file);
    return 2;
  }
  read_bytes = fread(buffer, 1, info->bytes + 1, file);
  fclose(file);
  if (read_bytes != info->bytes) {
    fprintf(stderr, "error: invalid input file %s: it contains %lu bytes, the model input \"%s\" needs %lu (%s values).\n", argv[1],
            (unsigned long)read_bytes, info->name, (unsigned long)info->bytes, info->type);
    free(buffer);
    return 2;
  }

  model_init();
  /* NOTE: multi-byte inputs are copied as they are, so this runner assumes a little-endian host. */
  memcpy(model_input(0), buffer, info->bytes);
  free(buffer);
  model_invoke();
  for (i = 0; i < MODEL_OUTPUT_COUNT; ++i) print_output(i);
  printf("arena_bytes %lu\n", (unsigned long)MODEL_ARENA_BYTES);
  printf("flash_bytes %lu\n", (unsigned long)MODEL_FLASH_BYTES);
  return 0;
}
