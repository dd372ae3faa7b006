/* Checks the C MultiplyByQuantizedMultiplier against the shared vector file named by argv[1].
 * Prints the number of rows checked and exits 1 on the first mismatch. */
#include <stdio.h>
#include <string.h>
#include "et_fixed_point.h"

int main(int argc, char **argv) {
  char line[256];
  long rows = 0;
  FILE *file;
  if (argc != 2) {
    fprintf(stderr, "usage: %s VECTOR_FILE\n", argv[0]);
    return 2;
  }
  file = fopen(argv[1], "r");
  if (file == NULL) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  while (fgets(line, sizeof line, file) != NULL) {
    long long x, multiplier, expected;
    int shift;
    int32_t actual;
    if (line[0] == '#' || strspn(line, " \r\n") == strlen(line)) continue;
    if (sscanf(line, "%lld %lld %d %lld", &x, &multiplier, &shift, &expected) != 4) {
      fprintf(stderr, "invalid row: %s", line);
      return 2;
    }
    actual = et_multiply_by_quantized_multiplier((int32_t)x, (int32_t)multiplier, shift);
    if (actual != expected) {
      fprintf(stderr, "mismatch: x=%lld multiplier=%lld shift=%d expected %lld, got %ld\n", x, multiplier, shift, expected,
              (long)actual);
      return 1;
    }
    rows++;
  }
  fclose(file);
  printf("%ld\n", rows);
  return 0;
}
