/* Host stand-in for the Arduino calls the exported example uses, so the sketch compiles and runs
 * on a computer in the tests. Serial writes to stdout. */
#ifndef ARDUINO_STUB_H
#define ARDUINO_STUB_H

#include <stdio.h>
#include <time.h>

inline unsigned long millis() { return (unsigned long)(clock() * 1000.0 / CLOCKS_PER_SEC); }
inline void delay(unsigned long) {}

struct HostSerial {
  void begin(long) {}
  explicit operator bool() const { return true; }
  void print(const char *text) { fputs(text, stdout); }
  void print(float value) { printf("%.4f", value); }
  void print(unsigned long value) { printf("%lu", value); }
  void println(const char *text) { printf("%s\n", text); }
  void println(float value) { printf("%.4f\n", value); }
  void println(unsigned long value) { printf("%lu\n", value); }
};

extern HostSerial Serial;

#endif
