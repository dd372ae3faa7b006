// DEPTHWISE_CONV_2D int8 with per-channel weights: TFLite's
// reference_integer_ops::DepthwiseConvPerChannel. Filter layout [1, filterHeight, filterWidth,
// outputChannels]; output channel = inputChannel * depthMultiplier + m.

import { clamp, multiplyByQuantizedMultiplier } from '../quantization/fixed-point.js';
import { prepareConvolution, type ConvolutionGeometry } from './convolution.js';
import { describeAccumulatorBound, preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import { maxAbs, tensorAt, unsupported, type PrepareContext, type TensorArray } from './tensors.js';

export interface DepthwiseConvParams extends ConvolutionGeometry {
  depthMultiplier: number;
  /** Filter [1, filterHeight, filterWidth, outputChannels]. */
  filter: Int8Array;
}

function prepare(context: PrepareContext): PreparedOp<DepthwiseConvParams> {
  const filterShape = tensorAt(context, 1, 'input').shape;
  const [, filterHeight, filterWidth, outputChannels] = filterShape;
  if (filterShape[0] !== 1) throw unsupported(context, `filter shape [${filterShape}] must start with 1`);
  const { geometry, filter, inputIndex } = prepareConvolution(context, filterHeight, filterWidth, outputChannels);
  // Old converters leave depth_multiplier at 0 or 1 and let the shapes decide, as TFLite does.
  const depthMultiplier = outputChannels / geometry.inputChannels;
  if (!Number.isInteger(depthMultiplier)) throw unsupported(context, `${outputChannels} output channels are not a multiple of ${geometry.inputChannels} input channels`);

  let worst = 0;
  for (let c = 0; c < outputChannels; c++) {
    let sum = 0;
    for (let i = 0; i < filterHeight * filterWidth; i++) sum += Math.abs(filter[i * outputChannels + c]);
    worst = Math.max(worst, sum * 255);
  }
  const { batches, outputHeight, outputWidth } = geometry;
  return preparedOp(context, { ...geometry, depthMultiplier, filter }, {
    inputs: [inputIndex],
    macs: batches * outputHeight * outputWidth * outputChannels * filterHeight * filterWidth,
    accumulatorBound: describeAccumulatorBound(worst + maxAbs(geometry.bias)),
  });
}

function evaluate(p: DepthwiseConvParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < p.outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.paddingHeight;
      for (let outX = 0; outX < p.outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.paddingWidth;
        for (let inChannel = 0; inChannel < p.inputChannels; inChannel++) {
          for (let m = 0; m < p.depthMultiplier; m++) {
            const outChannel = m + inChannel * p.depthMultiplier;
            let acc = 0;
            for (let filterY = 0; filterY < p.filterHeight; filterY++) {
              const inY = inYOrigin + p.dilationHeight * filterY;
              if (inY < 0 || inY >= p.inputHeight) continue;
              for (let filterX = 0; filterX < p.filterWidth; filterX++) {
                const inX = inXOrigin + p.dilationWidth * filterX;
                if (inX < 0 || inX >= p.inputWidth) continue;
                const inputValue = input[((batch * p.inputHeight + inY) * p.inputWidth + inX) * p.inputChannels + inChannel];
                const filterValue = p.filter[(filterY * p.filterWidth + filterX) * p.outputChannels + outChannel];
                acc += filterValue * (inputValue + p.inputOffset);
              }
            }
            if (p.bias) acc += p.bias[outChannel];
            acc = multiplyByQuantizedMultiplier(acc, p.outputMultiplier[outChannel], p.outputShift[outChannel]);
            acc += p.outputOffset;
            output[((batch * p.outputHeight + outY) * p.outputWidth + outX) * p.outputChannels + outChannel] = clamp(acc, p.activationMin, p.activationMax);
          }
        }
      }
    }
  }
}

export const DepthwiseConvPerChannel: ReferenceKernel<DepthwiseConvParams> = Object.freeze({ prepare, evaluate });
