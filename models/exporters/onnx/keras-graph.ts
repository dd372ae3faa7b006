// Flattens a tfjs layers model, with Sequential and functional models nested in any depth (as in
// Teachable Machine exports), into one intermediate graph of ops (ir.ts).

import * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../../errors.js';
import type { Graph, GraphOutput, GraphValue, Op } from './ir.js';
import { LAYER_CONVERTERS, unsupportedLayer } from './layers.js';

/** A reference to one output of one call of a layer, as Keras functional configs write it. */
type TensorReference = [layerName: string, nodeIndex: number, tensorIndex: number, ...rest: unknown[]];

interface FunctionalConfig {
  layers: { name: string; className: string; inboundNodes: TensorReference[][] }[];
  inputLayers: TensorReference[];
  outputLayers: TensorReference[];
}

class GraphBuilder {
  readonly ops: Op[] = [];
  private readonly usedNames = new Set<string>();

  uniqueName(base: string): string {
    let name = base;
    for (let suffix = 1; this.usedNames.has(name); suffix++) name = `${base}_${suffix}`;
    this.usedNames.add(name);
    return name;
  }

  /** Converts one layer call and returns the value names of its outputs. */
  convertLayer(layer: tf.layers.Layer, inputs: string[], prefix: string): string[] {
    const name = prefix ? `${prefix}/${layer.name}` : layer.name;
    if (layer instanceof tf.LayersModel) return this.convertContainer(layer, inputs, name);

    const className = layer.getClassName();
    if (className === 'InputLayer') return inputs;
    const converter = LAYER_CONVERTERS[className];
    if (!converter) throw unsupportedLayer(layer, 'the ONNX exporter has no converter for this layer class');
    const conversion = converter(layer, layer.getConfig() as Record<string, unknown>, {
      name,
      inputs,
      newValue: (suffix = 'out') => this.uniqueName(`${name}:${suffix}`),
    });
    this.ops.push(...conversion.ops);
    return conversion.outputs;
  }

  private convertContainer(model: tf.LayersModel, inputs: string[], name: string): string[] {
    if (model.getClassName() === 'Sequential') {
      let current = inputs;
      for (const layer of model.layers) current = this.convertLayer(layer, current, name);
      return current;
    }
    return this.convertFunctional(model, inputs, name);
  }

  /** Converts a functional model by following the inbound nodes of its config, in dependency order. */
  private convertFunctional(model: tf.LayersModel, inputs: string[], name: string): string[] {
    const config = model.getConfig() as unknown as FunctionalConfig;
    const values = new Map<string, string>();
    const key = (reference: TensorReference) => `${reference[0]}\0${reference[1]}\0${reference[2]}`;
    config.inputLayers.forEach((reference, index) => values.set(key(reference), inputs[index]));

    let pending = config.layers
      .filter((entry) => entry.className !== 'InputLayer')
      .flatMap((entry) => entry.inboundNodes.map((node, nodeIndex) => ({ entry, node, nodeIndex })));
    while (pending.length > 0) {
      const waiting: typeof pending = [];
      for (const call of pending) {
        const callInputs = call.node.map((reference) => values.get(key(reference)));
        if (callInputs.some((value) => value === undefined)) {
          waiting.push(call);
          continue;
        }
        const outputs = this.convertLayer(model.getLayer(call.entry.name), callInputs as string[], name);
        outputs.forEach((value, tensorIndex) => values.set(key([call.entry.name, call.nodeIndex, tensorIndex]), value));
      }
      if (waiting.length === pending.length) {
        throw new EdgeTrainerError('corrupt_model', `ONNX export: the layers of model "${model.name}" do not form a graph (${waiting[0].entry.name} has an input no layer produces).`, {
          hint: 'Save the model again from Edge Trainer or Teachable Machine.',
        });
      }
      pending = waiting;
    }
    return config.outputLayers.map((reference) => {
      const value = values.get(key(reference));
      if (value === undefined) throw new EdgeTrainerError('corrupt_model', `ONNX export: output ${reference[0]} of model "${model.name}" is never computed.`);
      return value;
    });
  }
}

export interface GraphNames {
  /** Names of the graph inputs, in model input order; default "input", "input_1", ... */
  inputNames?: string[];
  /** Names of the graph outputs; default "output", "output_1", ... */
  outputNames?: string[];
}

function defaultName(base: string, index: number): string {
  return index === 0 ? base : `${base}_${index}`;
}

/** Builds the intermediate graph of a tfjs layers model. Throws EdgeTrainerError 'unsupported' naming the first layer it cannot export. */
export function buildGraph(model: tf.LayersModel, names: GraphNames = {}): Graph {
  const builder = new GraphBuilder();
  const inputs: GraphValue[] = model.inputs.map((input, index) => ({
    name: builder.uniqueName(names.inputNames?.[index] ?? defaultName('input', index)),
    shape: input.shape.slice(),
  }));
  const outputValues = builder.convertLayer(model, inputs.map((input) => input.name), '');
  const outputs: GraphOutput[] = model.outputs.map((output, index) => ({
    name: builder.uniqueName(names.outputNames?.[index] ?? defaultName('output', index)),
    shape: output.shape.slice(),
    source: outputValues[index],
  }));
  return { inputs, outputs, ops: builder.ops };
}
