// The pretrained bases Edge Trainer builds on. Both come from Teachable Machine image exports,
// which carry the ImageNet-pretrained weights unchanged (Teachable Machine never trains its base).

import type { InputSpec } from '../images/preprocess.js';

export interface BaseInfo {
  /** Id used on the command line (--base) and in project and model files. */
  id: string;
  /** Folder name under the pretrained directory. */
  dirName: string;
  description: string;
  input: InputSpec;
  /** Shape of the base's output feature map, [height, width, channels]. */
  featureShape: readonly [number, number, number];
  /** Length of the embedding: the feature map after global average pooling. */
  embeddingSize: number;
  weightTensorCount: number;
  /** canonicalWeightChecksum of the weights (see checksum.ts). */
  weightChecksum: string;
}

export const BASES: Readonly<Record<string, BaseInfo>> = Object.freeze({
  'mobilenet-v2-224': Object.freeze<BaseInfo>({
    id: 'mobilenet-v2-224',
    dirName: 'mobilenet_v2_0.35_224',
    description: 'MobileNetV2 alpha 0.35, 224x224 RGB (Teachable Machine image base)',
    input: { size: 224, channels: 3 },
    featureShape: [7, 7, 1280],
    embeddingSize: 1280,
    weightTensorCount: 260,
    weightChecksum: 'd05a52225c63ca1e55318af0857b1b62875ac3315c0ec05266d89d2c18ced027',
  }),
  'mobilenet-v1-96-gray': Object.freeze<BaseInfo>({
    id: 'mobilenet-v1-96-gray',
    dirName: 'mobilenet_v1_0.25_96_grayscale',
    description: 'MobileNetV1 alpha 0.25, 96x96 grayscale (Teachable Machine embedded base, for boards)',
    input: { size: 96, channels: 1 },
    featureShape: [3, 3, 256],
    embeddingSize: 256,
    weightTensorCount: 131,
    weightChecksum: '59bd06992f28a371b6a62f432329a74422ee2e4355fcabc19f034c4459307173',
  }),
});

export const DEFAULT_BASE_ID = 'mobilenet-v2-224';

export function baseIds(): string[] {
  return Object.keys(BASES);
}
