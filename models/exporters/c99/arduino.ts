// Arduino library folder of a C export: library.properties, the model and kernels under src/, and
// an example sketch that classifies one embedded test input and prints the label over Serial.

import { cArray } from './c-source.js';
import type { BoardSpec } from './boards.js';

export const ARDUINO_LIBRARY_NAME = 'EdgeTrainerModel';
export const ARDUINO_EXAMPLE_NAME = 'Classify';

export function renderLibraryProperties(board: BoardSpec, modelName: string): string {
  return [
    `name=${ARDUINO_LIBRARY_NAME}`,
    'version=1.0.0',
    'author=Edge Trainer',
    'maintainer=Edge Trainer',
    `sentence=Classifier exported by Edge Trainer from ${modelName.replace(/[\r\n]/g, ' ')}.`,
    'paragraph=Plain C99 int8 inference with a static arena: no interpreter and no malloc.',
    'category=Data Processing',
    'url=https://github.com/',
    `architectures=${board.architecture}`,
    `includes=${ARDUINO_LIBRARY_NAME}.h`,
    '',
  ].join('\n');
}

export function renderLibraryHeader(): string {
  return `/* Edge Trainer model library: the generated model and camera preprocessing. */
#ifndef EDGE_TRAINER_MODEL_LIBRARY_H
#define EDGE_TRAINER_MODEL_LIBRARY_H

#include "model.h"
#include "et_preprocess.h"

#endif
`;
}

export interface ExampleInput {
  /** Raw bytes of the model input. */
  bytes: Uint8Array;
  /** C element type of the input. */
  type: 'int8_t' | 'uint8_t';
  /** Origin of the input (file name or a note), for the sketch comment. */
  description: string;
  /** File name of the image the input was preprocessed from, when it was. */
  image?: string;
}

export function renderExampleSketch(input: ExampleInput): string {
  const values = input.type === 'int8_t' ? new Int8Array(input.bytes.buffer, input.bytes.byteOffset, input.bytes.length) : input.bytes;
  return `// Classifies one test input embedded below and prints the label over Serial (115200 baud).
// Test input: ${input.description.replace(/[\r\n]/g, ' ')}.
// To classify camera frames, fill model_input(0) with et_preprocess_frame() instead.
#include <string.h>
#include <${ARDUINO_LIBRARY_NAME}.h>

${cArray('kTestInput', input.type, values)}

static int bestClass(float *score) {
  const ModelTensorInfo *info = model_output_info(0);
  const void *output = model_output(0);
  int best = 0;
  float bestValue = -1e30f;
  int count = (int)(strcmp(info->type, "float32") == 0 ? info->bytes / 4 : info->bytes);
  for (int i = 0; i < count; ++i) {
    float value;
    if (strcmp(info->type, "int8") == 0) {
      value = info->scale * (float)(((const int8_t *)output)[i] - info->zero_point);
    } else if (strcmp(info->type, "uint8") == 0) {
      value = info->scale * (float)(((const uint8_t *)output)[i] - info->zero_point);
    } else {
      value = ((const float *)output)[i];
    }
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  *score = bestValue;
  return best;
}

void setup() {
  Serial.begin(115200);
  unsigned long start = millis();
  while (!Serial && millis() - start < 3000) {
  }
  memcpy(model_input(0), kTestInput, sizeof kTestInput);
  unsigned long begin = millis();
  model_invoke();
  unsigned long elapsed = millis() - begin;
  float score = 0.0f;
  int label = bestClass(&score);
  Serial.print("label: ");
  Serial.println(model_label(label));
  Serial.print("score: ");
  Serial.println(score);
  Serial.print("inference ms: ");
  Serial.println(elapsed);
}

void loop() {
  delay(1000);
}
`;
}
