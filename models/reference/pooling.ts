// Parameters shared by AVERAGE_POOL_2D and MAX_POOL_2D (TFLite PoolParams).

import { checkPadding } from './convolution.js';
import { describeAccumulatorBound, preparedOp, type PreparedOp } from './kernel.js';
import { activationRange, expectType, scalarQuantization, tensorAt, unsupported, type PrepareContext } from './tensors.js';

export interface PoolParams {
  activationMin: number;
  activationMax: number;
  strideHeight: number;
  strideWidth: number;
  filterHeight: number;
  filterWidth: number;
  paddingHeight: number;
  paddingWidth: number;
  batches: number;
  inputHeight: number;
  inputWidth: number;
  channels: number;
  outputHeight: number;
  outputWidth: number;
}

/** Prepares a pooling op; `sums` marks AVERAGE_POOL_2D, whose int32 sum gets a bound comment. */
export function preparePool(context: PrepareContext, sums = false): PreparedOp<PoolParams> {
  const input = tensorAt(context, 0, 'input');
  const output = tensorAt(context, 0, 'output');
  expectType(context, input, ['INT8']);
  expectType(context, output, ['INT8']);
  if (input.shape.length !== 4 || output.shape.length !== 4) throw unsupported(context, 'input and output must be 4-D (NHWC)');
  const inputQuantization = scalarQuantization(context, input);
  const outputQuantization = scalarQuantization(context, output);
  if (inputQuantization.scale !== outputQuantization.scale || inputQuantization.zeroPoint !== outputQuantization.zeroPoint) {
    throw unsupported(context, 'input and output quantization differ; int8 pooling needs them equal');
  }

  const options = context.op.options as Record<string, number>;
  const [batches, inputHeight, inputWidth, channels] = input.shape;
  const [, outputHeight, outputWidth] = output.shape;
  const activation = activationRange(context, options.fusedActivationFunction, output);
  const params: PoolParams = {
    activationMin: activation.min,
    activationMax: activation.max,
    strideHeight: options.strideH,
    strideWidth: options.strideW,
    filterHeight: options.filterHeight,
    filterWidth: options.filterWidth,
    paddingHeight: checkPadding(context, options.padding ?? 0, inputHeight, options.filterHeight, options.strideH, 1, outputHeight),
    paddingWidth: checkPadding(context, options.padding ?? 0, inputWidth, options.filterWidth, options.strideW, 1, outputWidth),
    batches,
    inputHeight,
    inputWidth,
    channels,
    outputHeight,
    outputWidth,
  };

  // TFLite fails at run time on a window with no input pixel; reject such a model here instead.
  const emptyWindow = (outputSize: number, stride: number, padding: number, filter: number, inputSize: number) =>
    Array.from({ length: outputSize }, (_, out) => out * stride - padding).some((origin) => Math.min(filter, inputSize - origin) <= Math.max(0, -origin));
  if (emptyWindow(outputHeight, params.strideHeight, params.paddingHeight, params.filterHeight, inputHeight) || emptyWindow(outputWidth, params.strideWidth, params.paddingWidth, params.filterWidth, inputWidth)) {
    throw unsupported(context, 'a pooling window lies entirely in the padding');
  }
  return preparedOp(context, params, {
    inputs: [input.index],
    accumulatorBound: sums ? describeAccumulatorBound(params.filterHeight * params.filterWidth * 128) : null,
  });
}

/** Visits the clamped filter window of every output value, as TFLite's pooling kernels do. */
export function forEachPoolWindow(
  p: PoolParams,
  visit: (outputIndex: number, inputIndices: number[]) => void,
): void {
  const indices: number[] = [];
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < p.outputHeight; outY++) {
      for (let outX = 0; outX < p.outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.paddingWidth;
        const inYOrigin = outY * p.strideHeight - p.paddingHeight;
        const filterXStart = Math.max(0, -inXOrigin);
        const filterXEnd = Math.min(p.filterWidth, p.inputWidth - inXOrigin);
        const filterYStart = Math.max(0, -inYOrigin);
        const filterYEnd = Math.min(p.filterHeight, p.inputHeight - inYOrigin);
        for (let channel = 0; channel < p.channels; channel++) {
          indices.length = 0;
          for (let filterY = filterYStart; filterY < filterYEnd; filterY++) {
            for (let filterX = filterXStart; filterX < filterXEnd; filterX++) {
              indices.push(((batch * p.inputHeight + inYOrigin + filterY) * p.inputWidth + inXOrigin + filterX) * p.channels + channel);
            }
          }
          visit(((batch * p.outputHeight + outY) * p.outputWidth + outX) * p.channels + channel, indices);
        }
      }
    }
  }
}
