"""Runs a .tflite model in Arm NN (CpuRef backend) on raw input files and prints the outputs.

Usage: armnn_run.py MODEL.tflite INPUT.raw [INPUT.raw ...]
Each INPUT.raw holds the input tensor's bytes in its own dtype (float32, int8 or uint8, little
endian). Prints one JSON line per input: the first output tensor's raw values as a list.
Used by the TFLite exporter tests to check our files against a second, independent runtime.
"""

import json
import sys

import numpy as np
import pyarmnn as ann


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    model_path, input_paths = sys.argv[1], sys.argv[2:]
    parser = ann.ITfLiteParser()
    network = parser.CreateNetworkFromBinaryFile(model_path)
    input_name = parser.GetSubgraphInputTensorNames(0)[0]
    output_name = parser.GetSubgraphOutputTensorNames(0)[0]
    input_binding = parser.GetNetworkInputBindingInfo(0, input_name)
    output_binding = parser.GetNetworkOutputBindingInfo(0, output_name)

    runtime = ann.IRuntime(ann.CreationOptions())
    optimized, messages = ann.Optimize(network, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(), ann.OptimizerOptions())
    network_id, _ = runtime.LoadNetwork(optimized)

    for input_path in input_paths:
        raw = np.fromfile(input_path, dtype=np.uint8)
        data_type = input_binding[1].GetDataType()
        if data_type == ann.DataType_Float32:
            values = raw.view(np.float32)
        elif data_type == ann.DataType_QAsymmS8:
            values = raw.view(np.int8)
        elif data_type == ann.DataType_QAsymmU8:
            values = raw.view(np.uint8)
        else:
            print(f"armnn_run.py: input type {data_type} of {model_path} is not supported", file=sys.stderr)
            return 1
        input_tensors = ann.make_input_tensors([input_binding], [values])
        output_tensors = ann.make_output_tensors([output_binding])
        runtime.EnqueueWorkload(network_id, input_tensors, output_tensors)
        result = ann.workload_tensors_to_ndarray(output_tensors)[0]
        print(json.dumps(result.flatten().tolist()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
