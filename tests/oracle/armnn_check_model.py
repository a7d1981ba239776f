#!/usr/bin/python3
"""armnn_check_model.py — runs a .tflite model in Arm NN's CPU reference
backend, an implementation independent of mcusim, for modelgen's tests.

usage: /usr/bin/python3 armnn_check_model.py MODEL.tflite INPUTS.bin OUTPUTS.bin

INPUTS.bin holds N raw input tensors back to back (N = file size / input
size), int8 or float32 as the model's input is; OUTPUTS.bin receives the N
output tensors, int8 or float32 as the model's output is.  One line of JSON
on stdout tells what Arm NN made of the model's input and output:
{"inputs": N, "dtype": "int8"|"float32", "input_shape": [...],
 "input_scale": s, "input_zero_point": z,
 "output_shape": [...], "output_scale": s, "output_zero_point": z}
so the caller can check that the parser read the types and quantization it
wrote.

Exit status: 0 on success, 2 on bad arguments or files, 3 when Arm NN
rejects the model.  Needs Debian's python3-pyarmnn, visible only to
/usr/bin/python3.
"""
import json
import os
import sys


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 2
    model, inputs_path, outputs_path = argv[1:]
    import numpy as np
    import pyarmnn as ann

    try:
        parser = ann.ITfLiteParser()
        network = parser.CreateNetworkFromBinaryFile(model)
        in_name = parser.GetSubgraphInputTensorNames(0)[0]
        out_name = parser.GetSubgraphOutputTensorNames(0)[0]
        in_binding = parser.GetNetworkInputBindingInfo(0, in_name)
        out_binding = parser.GetNetworkOutputBindingInfo(0, out_name)
        runtime = ann.IRuntime(ann.CreationOptions())
        optimized, _ = ann.Optimize(network, [ann.BackendId("CpuRef")],
                                    runtime.GetDeviceSpec(), ann.OptimizerOptions())
        net_id, _ = runtime.LoadNetwork(optimized)
    except Exception as e:  # Arm NN raises its own exception types
        print("armnn rejected %s: %s" % (model, e), file=sys.stderr)
        return 3

    in_info, out_info = in_binding[1], out_binding[1]
    n_in = in_info.GetNumElements()
    is_float = in_info.GetDataType() == ann.DataType_Float32
    in_type = np.float32 if is_float else np.int8
    out_type = (np.float32 if out_info.GetDataType() == ann.DataType_Float32
                else np.int8)
    raw = np.fromfile(inputs_path, dtype=in_type)
    if raw.size == 0 or raw.size % n_in:
        print("%s: %d values is not a whole number of %d-value inputs"
              % (inputs_path, raw.size, n_in), file=sys.stderr)
        return 2
    count = raw.size // n_in
    outputs = []
    for i in range(count):
        sample = raw[i * n_in:(i + 1) * n_in].copy()
        in_tensors = ann.make_input_tensors([in_binding], [sample])
        out_tensors = ann.make_output_tensors([out_binding])
        runtime.EnqueueWorkload(net_id, in_tensors, out_tensors)
        out = ann.workload_tensors_to_ndarray(out_tensors)[0]
        outputs.append(np.asarray(out, dtype=out_type).reshape(-1))
    np.concatenate(outputs).tofile(outputs_path)

    def shape(info):
        s = info.GetShape()
        return [s[d] for d in range(s.GetNumDimensions())]

    print(json.dumps({
        "inputs": count,
        "dtype": "float32" if is_float else "int8",
        "input_shape": shape(in_info),
        "input_scale": in_info.GetQuantizationScale(),
        "input_zero_point": in_info.GetQuantizationOffset(),
        "output_shape": shape(out_info),
        "output_scale": out_info.GetQuantizationScale(),
        "output_zero_point": out_info.GetQuantizationOffset(),
    }))
    return 0


if __name__ == "__main__":
    # Arm NN prints notes about parsers it was built without on import.
    sys.exit(main(sys.argv))
