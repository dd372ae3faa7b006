// CONV_2D int8 with per-channel weights: TFLite's reference_integer_ops::ConvPerChannel.
// Layouts: input and output NHWC, filter OHWI [outputChannels, filterHeight, filterWidth, inputChannels].

import { clamp, multiplyByQuantizedMultiplier } from '../quantization/fixed-point.js';
import { prepareConvolution, type ConvolutionGeometry } from './convolution.js';
import { describeAccumulatorBound, preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import { maxAbs, tensorAt, unsupported, type PrepareContext, type TensorArray } from './tensors.js';

export interface ConvParams extends ConvolutionGeometry {
  filterOHWI: Int8Array;
}

function prepare(context: PrepareContext): PreparedOp<ConvParams> {
  const [outputChannels, filterHeight, filterWidth, filterInputChannels] = tensorAt(context, 1, 'input').shape;
  const { geometry, filter: filterOHWI, inputIndex } = prepareConvolution(context, filterHeight, filterWidth, outputChannels);
  const { inputChannels } = geometry;
  if (filterInputChannels !== inputChannels) throw unsupported(context, `filter has ${filterInputChannels} input channels, the input ${inputChannels} (grouped convolution)`);

  // Each product is |w| * |x - zeroPoint| <= |w| * 255; summed over one output channel's filter.
  let worst = 0;
  const perChannel = filterHeight * filterWidth * inputChannels;
  for (let c = 0; c < outputChannels; c++) {
    let sum = 0;
    for (let i = 0; i < perChannel; i++) sum += Math.abs(filterOHWI[c * perChannel + i]);
    worst = Math.max(worst, sum * 255);
  }
  const { batches, outputHeight, outputWidth } = geometry;
  return preparedOp(context, { ...geometry, filterOHWI }, {
    inputs: [inputIndex],
    macs: batches * outputHeight * outputWidth * outputChannels * perChannel,
    accumulatorBound: describeAccumulatorBound(worst + maxAbs(geometry.bias)),
  });
}

function evaluate(p: ConvParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < p.outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.paddingHeight;
      for (let outX = 0; outX < p.outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.paddingWidth;
        for (let outChannel = 0; outChannel < p.outputChannels; outChannel++) {
          let acc = 0;
          for (let filterY = 0; filterY < p.filterHeight; filterY++) {
            const inY = inYOrigin + p.dilationHeight * filterY;
            if (inY < 0 || inY >= p.inputHeight) continue;
            for (let filterX = 0; filterX < p.filterWidth; filterX++) {
              const inX = inXOrigin + p.dilationWidth * filterX;
              // Taps outside the input read the zero point, so they contribute 0 after the offset.
              if (inX < 0 || inX >= p.inputWidth) continue;
              const inputBase = ((batch * p.inputHeight + inY) * p.inputWidth + inX) * p.inputChannels;
              const filterBase = ((outChannel * p.filterHeight + filterY) * p.filterWidth + filterX) * p.inputChannels;
              for (let inChannel = 0; inChannel < p.inputChannels; inChannel++) {
                acc += p.filterOHWI[filterBase + inChannel] * (input[inputBase + inChannel] + p.inputOffset);
              }
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

export const ConvPerChannel: ReferenceKernel<ConvParams> = Object.freeze({ prepare, evaluate });
