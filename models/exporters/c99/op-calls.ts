// C emission of each prepared operator: the constant arrays and parameter struct it needs and the
// kernel call in model_invoke(). One entry per kernel, keyed by TFLite operator name.

import type { AddParams } from '../../reference/Add.js';
import type { ConcatenationParams } from '../../reference/Concatenation.js';
import type { ConvParams } from '../../reference/ConvPerChannel.js';
import type { DepthwiseConvParams } from '../../reference/DepthwiseConvPerChannel.js';
import type { DequantizeParams } from '../../reference/Dequantize.js';
import type { FullyConnectedParams } from '../../reference/FullyConnected.js';
import type { PreparedOp } from '../../reference/kernel.js';
import type { MeanParams } from '../../reference/Mean.js';
import type { PadParams } from '../../reference/Pad.js';
import type { PoolParams } from '../../reference/pooling.js';
import type { QuantizeParams } from '../../reference/Quantize.js';
import type { SoftmaxParams } from '../../reference/Softmax.js';
import type { TensorTypeName } from '../../tflite/reader.js';
import { cLiteral } from './c-source.js';

export interface EmitContext {
  /** C expression of a tensor's arena buffer, cast to `type *`. */
  tensor(index: number, type?: string): string;
  tensorType(index: number): TensorTypeName;
  /** Rows of the ring a row-streamed tensor is stored in, or 0 for a whole tensor. */
  ringRows(index: number): number;
  /** Declares a constant array once and returns its name. */
  constant(name: string, type: string, values: ArrayLike<number>): string;
}

export interface EmittedOp {
  /** Declarations at file scope: parameter structs. */
  declarations: string[];
  /** Statements in model_invoke(). */
  statements: string[];
  /** For row-streamed convolutions: the call computing output rows [begin, end). */
  rowCall?: (begin: string, end: string) => string;
}

type Emitter = (op: PreparedOp<never>, context: EmitContext, prefix: string) => EmittedOp;

function struct(type: string, name: string, fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([key, value]) => `  .${key} = ${typeof value === 'number' ? cLiteral(value, key === 'scale' ? 'double' : key === 'output_scale' ? 'float' : 'int32_t') : value},`)
    .join('\n');
  return `static const ${type} ${name} = {\n${body}\n};`;
}

function int4(values: number[]): string {
  return `{${values.join(', ')}}`;
}

function emitConvolution(op: PreparedOp<ConvParams | DepthwiseConvParams>, context: EmitContext, prefix: string, depthwise: boolean): EmittedOp {
  const p = op.params;
  const filter = depthwise ? (p as DepthwiseConvParams).filter : (p as ConvParams).filterOHWI;
  const filterName = context.constant(`${prefix}_filter`, 'int8_t', filter);
  const biasName = p.bias ? context.constant(`${prefix}_bias`, 'int32_t', p.bias) : '0';
  const multiplier = context.constant(`${prefix}_output_multiplier`, 'int32_t', p.outputMultiplier);
  const shift = context.constant(`${prefix}_output_shift`, 'int32_t', p.outputShift);
  const fields = {
    input_offset: p.inputOffset,
    output_offset: p.outputOffset,
    activation_min: p.activationMin,
    activation_max: p.activationMax,
    stride_height: p.strideHeight,
    stride_width: p.strideWidth,
    dilation_height: p.dilationHeight,
    dilation_width: p.dilationWidth,
    padding_height: p.paddingHeight,
    padding_width: p.paddingWidth,
    batches: p.batches,
    input_height: p.inputHeight,
    input_width: p.inputWidth,
    input_channels: p.inputChannels,
    output_height: p.outputHeight,
    output_width: p.outputWidth,
    output_channels: p.outputChannels,
    filter_height: p.filterHeight,
    filter_width: p.filterWidth,
    depth_multiplier: depthwise ? (p as DepthwiseConvParams).depthMultiplier : 1,
    output_multiplier: multiplier,
    output_shift: shift,
    input_ring_rows: context.ringRows(op.inputs[0]),
    output_ring_rows: context.ringRows(op.outputs[0]),
  };
  const kernel = depthwise ? 'et_depthwise_conv_per_channel' : 'et_conv_per_channel';
  const rowCall = (begin: string, end: string) =>
    `${kernel}(&${prefix}_params, ${context.tensor(op.inputs[0], 'int8_t')}, ${filterName}, ${biasName}, ${context.tensor(op.outputs[0], 'int8_t')}, ${begin}, ${end});`;
  return {
    declarations: [struct('EtConvParams', `${prefix}_params`, fields)],
    statements: [rowCall('0', String(p.outputHeight))],
    rowCall,
  };
}

function emitPool(kernel: string): Emitter {
  return (op, context, prefix) => {
    const p = op.params as PoolParams;
    const fields = {
      activation_min: p.activationMin,
      activation_max: p.activationMax,
      stride_height: p.strideHeight,
      stride_width: p.strideWidth,
      filter_height: p.filterHeight,
      filter_width: p.filterWidth,
      padding_height: p.paddingHeight,
      padding_width: p.paddingWidth,
      batches: p.batches,
      input_height: p.inputHeight,
      input_width: p.inputWidth,
      channels: p.channels,
      output_height: p.outputHeight,
      output_width: p.outputWidth,
    };
    return {
      declarations: [struct('EtPoolParams', `${prefix}_params`, fields)],
      statements: [`${kernel}(&${prefix}_params, ${context.tensor(op.inputs[0], 'int8_t')}, ${context.tensor(op.outputs[0], 'int8_t')});`],
    };
  };
}

function signedFlag(type: TensorTypeName): number {
  return type === 'INT8' ? 1 : 0;
}

export const OP_EMITTERS: Readonly<Record<string, Emitter>> = Object.freeze({
  CONV_2D: (op, context, prefix) => emitConvolution(op as PreparedOp<ConvParams>, context, prefix, false),
  DEPTHWISE_CONV_2D: (op, context, prefix) => emitConvolution(op as PreparedOp<DepthwiseConvParams>, context, prefix, true),
  FULLY_CONNECTED: (op, context, prefix) => {
    const p = op.params as FullyConnectedParams;
    const filterName = context.constant(`${prefix}_filter`, 'int8_t', p.filter);
    const biasName = p.bias ? context.constant(`${prefix}_bias`, 'int32_t', p.bias) : '0';
    const fields = {
      input_offset: p.inputOffset,
      filter_offset: p.filterOffset,
      output_offset: p.outputOffset,
      activation_min: p.activationMin,
      activation_max: p.activationMax,
      batches: p.batches,
      accum_depth: p.accumDepth,
      output_depth: p.outputDepth,
      output_multiplier: context.constant(`${prefix}_output_multiplier`, 'int32_t', p.outputMultiplier),
      output_shift: context.constant(`${prefix}_output_shift`, 'int32_t', p.outputShift),
    };
    return {
      declarations: [struct('EtFullyConnectedParams', `${prefix}_params`, fields)],
      statements: [`et_fully_connected(&${prefix}_params, ${context.tensor(op.inputs[0], 'int8_t')}, ${filterName}, ${biasName}, ${context.tensor(op.outputs[0], 'int8_t')});`],
    };
  },
  AVERAGE_POOL_2D: emitPool('et_average_pool'),
  MAX_POOL_2D: emitPool('et_max_pool'),
  MEAN: (op, context, prefix) => {
    const p = op.params as MeanParams;
    const fields = {
      input_shape: int4(p.inputShape),
      reduced: int4(p.reduced),
      zero_point_sum: p.zeroPointSum,
      output_zero_point: p.outputZeroPoint,
      output_multiplier: p.outputMultiplier,
      output_shift: p.outputShift,
    };
    return {
      declarations: [struct('EtMeanParams', `${prefix}_params`, fields)],
      statements: [`et_mean(&${prefix}_params, ${context.tensor(op.inputs[0], 'int8_t')}, ${context.tensor(op.outputs[0], 'int8_t')});`],
    };
  },
  ADD: (op, context, prefix) => {
    const p = op.params as AddParams;
    const fields = {
      input1_offset: p.input1Offset,
      input2_offset: p.input2Offset,
      output_offset: p.outputOffset,
      left_shift: p.leftShift,
      input1_multiplier: p.input1Multiplier,
      input1_shift: p.input1Shift,
      input2_multiplier: p.input2Multiplier,
      input2_shift: p.input2Shift,
      output_multiplier: p.outputMultiplier,
      output_shift: p.outputShift,
      activation_min: p.activationMin,
      activation_max: p.activationMax,
      output_shape: int4(p.outputShape),
      input1_strides: int4(p.input1Strides),
      input2_strides: int4(p.input2Strides),
    };
    return {
      declarations: [struct('EtAddParams', `${prefix}_params`, fields)],
      statements: [`et_add(&${prefix}_params, ${context.tensor(op.inputs[0], 'int8_t')}, ${context.tensor(op.inputs[1], 'int8_t')}, ${context.tensor(op.outputs[0], 'int8_t')});`],
    };
  },
  PAD: (op, context, prefix) => {
    const p = op.params as PadParams;
    const type = context.tensorType(op.inputs[0]) === 'INT8' ? 'int8_t' : 'uint8_t';
    const fields = { input_shape: int4(p.inputShape), output_shape: int4(p.outputShape), before: int4(p.before), pad_value: p.padValue };
    return {
      declarations: [struct('EtPadParams', `${prefix}_params`, fields)],
      statements: [`et_pad_${type === 'int8_t' ? 'int8' : 'uint8'}(&${prefix}_params, ${context.tensor(op.inputs[0], type)}, ${context.tensor(op.outputs[0], type)});`],
    };
  },
  RESHAPE: () => ({ declarations: [], statements: ['/* The output shares the input buffer; nothing to compute. */'] }),
  SOFTMAX: (op, context, prefix) => {
    const p = op.params as SoftmaxParams;
    const fields = {
      outer_size: p.outerSize,
      depth: p.depth,
      input_multiplier: p.inputMultiplier,
      input_left_shift: p.inputLeftShift,
      diff_min: p.diffMin,
    };
    return {
      declarations: [struct('EtSoftmaxParams', `${prefix}_params`, fields)],
      statements: [`et_softmax(&${prefix}_params, ${context.tensor(op.inputs[0], 'int8_t')}, ${context.tensor(op.outputs[0], 'int8_t')});`],
    };
  },
  QUANTIZE: (op, context, prefix) => {
    const p = op.params as QuantizeParams;
    const fields = {
      elements: p.elements,
      output_zero_point: p.outputZeroPoint,
      output_min: p.outputMin,
      output_max: p.outputMax,
      output_scale: p.outputScale,
      input_zero_point: p.inputZeroPoint,
      multiplier: p.multiplier,
      shift: p.shift,
    };
    const outputSigned = signedFlag(context.tensorType(op.outputs[0]));
    const statement =
      p.mode === 'affine'
        ? `et_quantize_float(&${prefix}_params, ${context.tensor(op.inputs[0], 'float')}, ${context.tensor(op.outputs[0], 'void')}, ${outputSigned});`
        : `et_requantize(&${prefix}_params, ${context.tensor(op.inputs[0], 'void')}, ${signedFlag(context.tensorType(op.inputs[0]))}, ${context.tensor(op.outputs[0], 'void')}, ${outputSigned});`;
    return { declarations: [struct('EtQuantizeParams', `${prefix}_params`, fields)], statements: [statement] };
  },
  DEQUANTIZE: (op, context, prefix) => {
    const p = op.params as DequantizeParams;
    return {
      declarations: [struct('EtDequantizeParams', `${prefix}_params`, { elements: p.elements, zero_point: p.zeroPoint, scale: p.scale })],
      statements: [`et_dequantize(&${prefix}_params, ${context.tensor(op.inputs[0], 'void')}, ${signedFlag(context.tensorType(op.inputs[0]))}, ${context.tensor(op.outputs[0], 'float')});`],
    };
  },
  CONCATENATION: (op, context, prefix) => {
    const p = op.params as ConcatenationParams;
    const sizes = context.constant(`${prefix}_copy_sizes`, 'int32_t', p.copySizes);
    return {
      declarations: [],
      statements: [
        '{',
        `  const uint8_t *const inputs[${op.inputs.length}] = {${op.inputs.map((index) => context.tensor(index, 'const uint8_t')).join(', ')}};`,
        `  et_concatenation(${p.outerSize}, ${op.inputs.length}, ${sizes}, inputs, ${context.tensor(op.outputs[0], 'uint8_t')});`,
        '}',
      ],
    };
  },
} satisfies Record<string, Emitter>);

export function emitterFor(opcode: string): Emitter | undefined {
  return opcode === 'PADV2' ? OP_EMITTERS.PAD : OP_EMITTERS[opcode];
}

