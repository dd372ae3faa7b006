// Lowers a tfjs layers model (Sequential and functional Model containers, nested as Teachable
// Machine writes them) to the exporter's float32 graph, then runs the fusion passes.

import * as tf from '@tensorflow/tfjs';
import { addTensor, compactTensors, unsupportedLayer, type Graph } from './graph.js';
import { fuseGraph } from './fuse.js';
import { LAYER_LOWERINGS, type LayerContext } from './layers.js';

const CONTAINER_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

/** One inbound tensor of a functional-model node: [layer name, node index, tensor index, kwargs]. */
type InboundRef = [string, number, number, unknown?];

interface ContainerConfig {
  layers: { name: string; className: string; inboundNodes: InboundRef[][] }[];
  inputLayers: [string, number, number][];
  outputLayers: [string, number, number][];
}

function lowerLayer(graph: Graph, layer: tf.layers.Layer, path: string, inputs: number[]): number[] {
  const className = layer.getClassName();
  const name = path ? `${path}/${layer.name}` : layer.name;
  if (className === 'Sequential') return lowerSequential(graph, layer as tf.Sequential, name, inputs);
  if (CONTAINER_CLASSES.has(className)) return lowerFunctional(graph, layer as tf.LayersModel, name, inputs);
  if (className === 'InputLayer') return inputs;
  const lowering = LAYER_LOWERINGS[className];
  if (lowering === undefined) throw unsupportedLayer(name, className, 'has no TFLite equivalent in this exporter');
  const context: LayerContext = { graph, name, className, layer, config: layer.getConfig() as Record<string, unknown> };
  return lowering(context, inputs);
}

function lowerSequential(graph: Graph, model: tf.Sequential, path: string, inputs: number[]): number[] {
  let current = inputs;
  for (const layer of model.layers) current = lowerLayer(graph, layer, path, current);
  return current;
}

/** Walks a functional model's nodes in dependency order, keyed by "layer:node:tensor". */
function lowerFunctional(graph: Graph, model: tf.LayersModel, path: string, inputs: number[]): number[] {
  const config = model.getConfig() as unknown as ContainerConfig;
  const key = (layer: string, node: number, tensor: number): string => `${layer}:${node}:${tensor}`;
  const tensors = new Map<string, number>();
  if (config.inputLayers.length !== inputs.length) {
    throw unsupportedLayer(path, model.getClassName(), `has ${config.inputLayers.length} inputs; TFLite export supports models with one image input`);
  }
  config.inputLayers.forEach(([name, node, tensor], i) => tensors.set(key(name, node, tensor), inputs[i]));

  const pending = config.layers.filter((entry) => entry.className !== 'InputLayer');
  while (pending.length > 0) {
    const index = pending.findIndex((entry) => entry.inboundNodes.every((node) => node.every(([name, n, t]) => tensors.has(key(name, n, t)))));
    if (index < 0) throw unsupportedLayer(path, model.getClassName(), `has layers whose inputs never become available (${pending.map((entry) => entry.name).join(', ')})`);
    const [entry] = pending.splice(index, 1);
    const layer = model.getLayer(entry.name);
    entry.inboundNodes.forEach((node, nodeIndex) => {
      const nodeInputs = node.map(([name, n, t]) => tensors.get(key(name, n, t))!);
      const outputs = lowerLayer(graph, layer, path, nodeInputs);
      outputs.forEach((output, t) => tensors.set(key(entry.name, nodeIndex, t), output));
    });
  }
  return config.outputLayers.map(([name, node, tensor]) => {
    const output = tensors.get(key(name, node, tensor));
    if (output === undefined) throw unsupportedLayer(path, model.getClassName(), `has an output ${name} that no layer computes`);
    return output;
  });
}

/**
 * Lowers `model` to a float32 graph with batch size 1, batch norm folded, activations fused and
 * padding merged into convolutions. Throws an `unsupported` EdgeTrainerError that names the
 * first layer the exporter cannot express.
 */
export function lowerModel(model: tf.LayersModel): Graph {
  if (model.inputs.length !== 1) {
    throw unsupportedLayer(model.name, model.getClassName(), `has ${model.inputs.length} inputs; TFLite export supports models with one image input`);
  }
  const inputShape = model.inputs[0].shape.map((dim) => (dim === null ? 1 : dim));
  const graph: Graph = { tensors: [], ops: [], inputs: [], outputs: [] };
  const input = addTensor(graph, { name: 'input', shape: inputShape, dtype: 'float32' });
  graph.inputs = [input];
  graph.outputs = lowerLayer(graph, model, '', [input]);
  fuseGraph(graph);
  compactTensors(graph);
  return graph;
}
