/* Runs an Arduino sketch once on the host: setup(), then one loop(). */
void setup();
void loop();

int main() {
  setup();
  loop();
  return 0;
}
