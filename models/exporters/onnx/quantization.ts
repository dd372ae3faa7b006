// Quantization parameters of the int8 ONNX export, following the ONNX QuantizeLinear and
// DequantizeLinear operators: real = scale * (q - zeroPoint), and QuantizeLinear rounds
// real / scale + zeroPoint half to even, then saturates to the integer type.
// Activations: uint8, asymmetric, one scale per tensor; the range always contains 0, so real 0 is
// exactly q = zeroPoint and zero padding stays exact. Weights: int8, symmetric (zeroPoint 0), one
// scale per output channel, q in [-127, 127]. Bias: int32 with scale inputScale * weightScale[c]
// and zeroPoint 0, so the integer accumulator of QLinearConv can add it unchanged.

export interface ValueRange {
  min: number;
  max: number;
}

export interface QuantizationParams {
  scale: number;
  zeroPoint: number;
}

const UINT8_MAX = 255;
const INT8_WEIGHT_MAX = 127;
const INT32_MAX = 2 ** 31 - 1;

/** Rounds half to even, as QuantizeLinear does. */
function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** uint8 parameters for a calibrated range, widened to contain 0. A constant-zero value gets scale 1. */
export function activationParams(range: ValueRange): QuantizationParams {
  const min = Math.min(range.min, 0);
  const max = Math.max(range.max, 0);
  if (max - min <= 0) return { scale: 1, zeroPoint: 0 };
  const scale = (max - min) / UINT8_MAX;
  const zeroPoint = Math.min(Math.max(roundHalfToEven(-min / scale), 0), UINT8_MAX);
  return { scale: Math.fround(scale), zeroPoint };
}

/**
 * Quantizes a filter whose first axis is the output channel (ONNX Conv [out, in / group, h, w]) to
 * int8 with one symmetric scale per output channel: scale[c] = max |w[c]| / 127.
 */
export function quantizeFilterPerChannel(filter: Float32Array, outChannels: number): { values: Int8Array; scales: Float32Array } {
  const perChannel = filter.length / outChannels;
  const values = new Int8Array(filter.length);
  const scales = new Float32Array(outChannels);
  for (let outChannel = 0; outChannel < outChannels; outChannel++) {
    const start = outChannel * perChannel;
    let maxAbs = 0;
    for (let index = start; index < start + perChannel; index++) maxAbs = Math.max(maxAbs, Math.abs(filter[index]));
    const scale = maxAbs > 0 ? Math.fround(maxAbs / INT8_WEIGHT_MAX) : 1;
    scales[outChannel] = scale;
    for (let index = start; index < start + perChannel; index++) {
      values[index] = Math.min(Math.max(roundHalfToEven(filter[index] / scale), -INT8_WEIGHT_MAX), INT8_WEIGHT_MAX);
    }
  }
  return { values, scales };
}

/** Quantizes a bias to int32 with scale inputScale * filterScales[c] per output channel. */
export function quantizeBias(bias: Float32Array, inputScale: number, filterScales: Float32Array): { values: Int32Array; scales: Float32Array } {
  const values = new Int32Array(bias.length);
  const scales = new Float32Array(bias.length);
  for (let channel = 0; channel < bias.length; channel++) {
    const scale = Math.fround(inputScale * filterScales[channel]);
    scales[channel] = scale;
    values[channel] = Math.min(Math.max(roundHalfToEven(bias[channel] / scale), -INT32_MAX), INT32_MAX);
  }
  return { values, scales };
}
