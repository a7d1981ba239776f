#!/usr/bin/python3
"""armnn_run.py — the runtime's independent oracle: runs one .tflite model
once in Arm NN's CPU reference backend (CpuRef) and writes the raw output.

usage: /usr/bin/python3 armnn_run.py MODEL.tflite INPUT.bin OUTPUT.bin
                                     [--output-tensor N] [--zero-bias-qdim]

INPUT.bin holds the raw bytes of the input tensor (int8 or float32, its
exact size); OUTPUT.bin receives the raw bytes of the output tensor.
  --output-tensor N  makes tensor N the graph output (a patched temporary
                     copy of the model), to compare an intermediate layer.
  --zero-bias-qdim   sets quantized_dimension to 0 on 1-D per-channel
                     tensors, which Arm NN requires and person_detect lacks.
The runtime's tests apply the same patches to the model they run
themselves, so both engines see the same graph.

Exit status: 0 on success, 2 on bad arguments or files, 3 when Arm NN
rejects the model.  Needs Debian's python3-pyarmnn (only /usr/bin/python3
sees it).
"""
import os
import struct
import sys
import tempfile


# ---- a minimal flatbuffer walker, enough to patch two scalar fields ----

def _u16(b, o):
    return struct.unpack_from("<H", b, o)[0]


def _u32(b, o):
    return struct.unpack_from("<I", b, o)[0]


def _table(b, pos):
    vtable = pos - struct.unpack_from("<i", b, pos)[0]
    return pos, vtable, _u16(b, vtable)


def _field(b, t, field_id):
    pos, vtable, vtable_size = t
    slot = 4 + 2 * field_id
    if slot + 2 > vtable_size:
        return None
    off = _u16(b, vtable + slot)
    return pos + off if off else None


def _deref(b, p):
    return p + _u32(b, p)


def _vector(b, t, field_id):
    p = _field(b, t, field_id)
    if p is None:
        return None, 0
    v = _deref(b, p)
    return v + 4, _u32(b, v)


def patch_model(data, output_tensor=None, zero_bias_qdim=False):
    b = bytearray(data)
    root = _table(b, _u32(b, 0))
    subgraphs, _ = _vector(b, root, 2)
    subgraph = _table(b, _deref(b, subgraphs))
    if output_tensor is not None:
        outputs, count = _vector(b, subgraph, 2)
        if count < 1:
            raise ValueError("model has no output to redirect")
        struct.pack_into("<i", b, outputs, output_tensor)
    if zero_bias_qdim:
        tensors, count = _vector(b, subgraph, 0)
        for i in range(count):
            tensor = _table(b, _deref(b, tensors + 4 * i))
            shape, rank = _vector(b, tensor, 0)
            q = _field(b, tensor, 4)
            if rank != 1 or q is None:
                continue
            qdim = _field(b, _table(b, _deref(b, q)), 6)
            if qdim is not None:
                struct.pack_into("<i", b, qdim, 0)
    return bytes(b)


def main(argv):
    args = argv[1:]
    output_tensor = None
    zero_bias_qdim = False
    if "--zero-bias-qdim" in args:
        args.remove("--zero-bias-qdim")
        zero_bias_qdim = True
    if "--output-tensor" in args:
        k = args.index("--output-tensor")
        output_tensor = int(args[k + 1])
        del args[k:k + 2]
    if len(args) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    model, input_path, output_path = args
    import numpy as np
    import pyarmnn as ann

    with open(model, "rb") as f:
        data = f.read()
    tmp = None
    if output_tensor is not None or zero_bias_qdim:
        data = patch_model(data, output_tensor, zero_bias_qdim)
        fd, tmp = tempfile.mkstemp(suffix=".tflite")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        model = tmp
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
        print("armnn rejected %s: %s" % (argv[1], e), file=sys.stderr)
        return 3
    finally:
        if tmp:
            os.unlink(tmp)

    in_info = in_binding[1]
    dtype = np.float32 if in_info.GetDataType() == ann.DataType_Float32 else np.int8
    raw = np.fromfile(input_path, dtype=dtype)
    if raw.size != in_info.GetNumElements():
        print("%s: %d elements, the model input needs %d"
              % (input_path, raw.size, in_info.GetNumElements()), file=sys.stderr)
        return 2
    in_tensors = ann.make_input_tensors([in_binding], [raw])
    out_tensors = ann.make_output_tensors([out_binding])
    runtime.EnqueueWorkload(net_id, in_tensors, out_tensors)
    out = ann.workload_tensors_to_ndarray(out_tensors)[0]
    np.asarray(out).reshape(-1).tofile(output_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
