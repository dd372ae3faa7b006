// Helpers that read the Teachable Machine image layout of a classifier's model.json as plain JSON.
// The layout is
//   Sequential [ Sequential sequential_1 [ Model (the MobileNet base), pooling ],
//                Sequential sequential_3 [ Dense 100 relu, Dense N softmax without bias ] ]
// and tfjs writes the same topology for our exports, so these helpers serve both.

import type * as tf from '@tensorflow/tfjs';
import { canonicalWeightChecksum } from '../bases/checksum.js';
import { BASES } from '../bases/registry.js';

/** One entry of a Keras layer list: class name plus config. */
export interface LayerEntry {
  class_name: string;
  config: unknown;
  [key: string]: unknown;
}

const MODEL_CLASS_NAMES: readonly string[] = ['Model', 'Functional'];

function isLayerEntry(value: unknown): value is LayerEntry {
  return typeof value === 'object' && value !== null && typeof (value as LayerEntry).class_name === 'string';
}

/** Layers of a Sequential or Model config; tfjs 1.1 wrote a Sequential's config as a bare list. */
export function childLayers(entry: LayerEntry): LayerEntry[] {
  const config = entry.config;
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | null)?.layers;
  return Array.isArray(layers) ? layers.filter(isLayerEntry) : [];
}

/** Top-level entry of model.json's modelTopology (tfjs sometimes wraps it in model_config). */
export function topologyEntry(topology: unknown): LayerEntry | undefined {
  if (!isLayerEntry(topology)) {
    const wrapped = (topology as { model_config?: unknown } | null)?.model_config;
    return isLayerEntry(wrapped) ? wrapped : undefined;
  }
  return topology;
}

/**
 * Finds the pretrained base inside a classifier topology: the first nested Model, searched
 * depth first through Sequentials. Returns undefined for a topology with no nested Model.
 */
export function findBaseEntry(topology: unknown): LayerEntry | undefined {
  const root = topologyEntry(topology);
  if (!root) return undefined;
  const pending = childLayers(root);
  while (pending.length > 0) {
    const entry = pending.shift() as LayerEntry;
    if (MODEL_CLASS_NAMES.includes(entry.class_name)) return entry;
    if (entry.class_name === 'Sequential') pending.unshift(...childLayers(entry));
  }
  return undefined;
}

/** Names of the layers inside a base Model entry. */
export function layerNames(entry: LayerEntry): Set<string> {
  const names = new Set<string>();
  for (const layer of childLayers(entry)) {
    const name = (layer.config as { name?: unknown } | null)?.name ?? layer.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

/**
 * Returns a predicate that checks whether a weight (named "layer/variable", as tfjs names them)
 * belongs to one of `names`.
 */
export function weightOfLayers(names: ReadonlySet<string>): (weightName: string) => boolean {
  return (weightName) => {
    const slash = weightName.lastIndexOf('/');
    return slash > 0 && names.has(weightName.slice(0, slash));
  };
}

/**
 * Identifies which registered base a classifier embeds, by the canonical checksum of the weights
 * of its base layers. Returns null when the base is not one of ours, or was fine-tuned.
 */
export function identifyBase(artifacts: tf.io.ModelArtifacts): string | null {
  const baseEntry = findBaseEntry(artifacts.modelTopology);
  if (!baseEntry) return null;
  const inBase = weightOfLayers(layerNames(baseEntry));
  let checksum: string;
  try {
    checksum = canonicalWeightChecksum(artifacts, inBase);
  } catch {
    // Quantized or non-float32 weights cannot match a registered float32 base.
    return null;
  }
  const match = Object.values(BASES).find((info) => info.weightChecksum === checksum);
  return match ? match.id : null;
}
