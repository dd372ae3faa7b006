/* Runs an Arduino sketch once on the host: setup(), then one loop(). */
#include "Arduino.h"

HostSerial Serial;

void setup();
void loop();

int main() {
  setup();
  loop();
  return 0;
}
