/*
 * tflite_schema.h — the TensorFlow Lite flatbuffer schema (version 3) as
 * named constants: enum values and table field ids.
 *
 * One header shared by everything in mcusim that reads or writes .tflite
 * files: the runtime's model reader (runtime/) and the model synthesizer
 * (modelgen/).  It holds numbers only, no code, so it compiles both for the
 * host and freestanding for the firmware.
 *
 * Field ids are the positions of fields in the schema's tables, counting a
 * union field as two ids (its `_type` byte, then its offset), exactly as the
 * flatbuffers compiler numbers them.  A field's entry in a table's vtable is
 * at byte TFLITE_VTABLE_SLOT(id) = 4 + 2 * id.
 *
 * Rules for changing this file: only add.  New constants go at the end of
 * their group; never renumber — the numbers are the file format.
 */
#ifndef MCUSIM_TFLITE_SCHEMA_H
#define MCUSIM_TFLITE_SCHEMA_H

#define TFLITE_SCHEMA_VERSION 3
#define TFLITE_FILE_IDENTIFIER "TFL3" /* bytes 4..7 of every .tflite file */
#define TFLITE_VTABLE_SLOT(field_id) (4 + 2 * (field_id))

/* enum TensorType : byte */
enum tflite_tensor_type {
    TFLITE_TYPE_FLOAT32 = 0,
    TFLITE_TYPE_FLOAT16 = 1,
    TFLITE_TYPE_INT32 = 2,
    TFLITE_TYPE_UINT8 = 3,
    TFLITE_TYPE_INT64 = 4,
    TFLITE_TYPE_STRING = 5,
    TFLITE_TYPE_BOOL = 6,
    TFLITE_TYPE_INT16 = 7,
    TFLITE_TYPE_COMPLEX64 = 8,
    TFLITE_TYPE_INT8 = 9,
    TFLITE_TYPE_FLOAT64 = 10,
    TFLITE_TYPE_COMPLEX128 = 11,
    TFLITE_TYPE_UINT64 = 12,
    TFLITE_TYPE_RESOURCE = 13,
    TFLITE_TYPE_VARIANT = 14,
    TFLITE_TYPE_UINT32 = 15,
    TFLITE_TYPE_UINT16 = 16,
    TFLITE_TYPE_INT4 = 17,
};

/* enum BuiltinOperator : int32 (the subset mcusim meets; values are the
 * schema's).  OperatorCode stores it twice: deprecated_builtin_code (a byte,
 * the only field older converters filled) and builtin_code (int32, filled by
 * newer converters).  Read the operator as the larger of the two. */
enum tflite_builtin_op {
    TFLITE_OP_ADD = 0,
    TFLITE_OP_AVERAGE_POOL_2D = 1,
    TFLITE_OP_CONCATENATION = 2,
    TFLITE_OP_CONV_2D = 3,
    TFLITE_OP_DEPTHWISE_CONV_2D = 4,
    TFLITE_OP_DEQUANTIZE = 6,
    TFLITE_OP_FULLY_CONNECTED = 9,
    TFLITE_OP_LOGISTIC = 14,
    TFLITE_OP_MAX_POOL_2D = 17,
    TFLITE_OP_MUL = 18,
    TFLITE_OP_RELU = 19,
    TFLITE_OP_RELU6 = 21,
    TFLITE_OP_RESHAPE = 22,
    TFLITE_OP_SOFTMAX = 25,
    TFLITE_OP_TANH = 28,
    TFLITE_OP_PAD = 34,
    TFLITE_OP_MEAN = 40,
    TFLITE_OP_SUB = 41,
    TFLITE_OP_QUANTIZE = 114,
    TFLITE_OP_PLACEHOLDER_FOR_GREATER_OP_CODES = 127,
    TFLITE_OP_RELU_N1_TO_1 = 20,
    TFLITE_OP_CUSTOM = 32,
    TFLITE_OP_BATCH_MATMUL = 126,
    /* Added with the single-operator models and the wider operator set. */
    TFLITE_OP_DEPTH_TO_SPACE = 5,
    TFLITE_OP_FLOOR = 8,
    TFLITE_OP_L2_NORMALIZATION = 11,
    TFLITE_OP_L2_POOL_2D = 12,
    TFLITE_OP_RESIZE_BILINEAR = 23,
    TFLITE_OP_SPACE_TO_DEPTH = 26,
    TFLITE_OP_SVDF = 27,
    TFLITE_OP_GATHER = 36,
    TFLITE_OP_BATCH_TO_SPACE_ND = 37,
    TFLITE_OP_SPACE_TO_BATCH_ND = 38,
    TFLITE_OP_TRANSPOSE = 39,
    TFLITE_OP_DIV = 42,
    TFLITE_OP_SQUEEZE = 43,
    TFLITE_OP_UNIDIRECTIONAL_SEQUENCE_LSTM = 44,
    TFLITE_OP_STRIDED_SLICE = 45,
    TFLITE_OP_EXP = 47,
    TFLITE_OP_SPLIT = 49,
    TFLITE_OP_LOG_SOFTMAX = 50,
    TFLITE_OP_CAST = 53,
    TFLITE_OP_PRELU = 54,
    TFLITE_OP_MAXIMUM = 55,
    TFLITE_OP_ARG_MAX = 56,
    TFLITE_OP_MINIMUM = 57,
    TFLITE_OP_LESS = 58,
    TFLITE_OP_NEG = 59,
    TFLITE_OP_PADV2 = 60,
    TFLITE_OP_GREATER = 61,
    TFLITE_OP_GREATER_EQUAL = 62,
    TFLITE_OP_LESS_EQUAL = 63,
    TFLITE_OP_SELECT = 64,
    TFLITE_OP_SLICE = 65,
    TFLITE_OP_SIN = 66,
    TFLITE_OP_TRANSPOSE_CONV = 67,
    TFLITE_OP_EXPAND_DIMS = 70,
    TFLITE_OP_EQUAL = 71,
    TFLITE_OP_NOT_EQUAL = 72,
    TFLITE_OP_LOG = 73,
    TFLITE_OP_SUM = 74,
    TFLITE_OP_SQRT = 75,
    TFLITE_OP_RSQRT = 76,
    TFLITE_OP_SHAPE = 77,
    TFLITE_OP_ARG_MIN = 79,
    TFLITE_OP_REDUCE_MAX = 82,
    TFLITE_OP_PACK = 83,
    TFLITE_OP_LOGICAL_OR = 84,
    TFLITE_OP_LOGICAL_AND = 86,
    TFLITE_OP_LOGICAL_NOT = 87,
    TFLITE_OP_UNPACK = 88,
    TFLITE_OP_REDUCE_MIN = 89,
    TFLITE_OP_FLOOR_DIV = 90,
    TFLITE_OP_SQUARE = 92,
    TFLITE_OP_ZEROS_LIKE = 93,
    TFLITE_OP_FILL = 94,
    TFLITE_OP_FLOOR_MOD = 95,
    TFLITE_OP_RESIZE_NEAREST_NEIGHBOR = 97,
    TFLITE_OP_LEAKY_RELU = 98,
    TFLITE_OP_SQUARED_DIFFERENCE = 99,
    TFLITE_OP_MIRROR_PAD = 100,
    TFLITE_OP_ABS = 101,
    TFLITE_OP_SPLIT_V = 102,
    TFLITE_OP_CEIL = 104,
    TFLITE_OP_ADD_N = 106,
    TFLITE_OP_GATHER_ND = 107,
    TFLITE_OP_COS = 108,
    TFLITE_OP_ELU = 111,
    TFLITE_OP_ROUND = 116,
    TFLITE_OP_HARD_SWISH = 117,
    TFLITE_OP_SELECT_V2 = 123,
    TFLITE_OP_CUMSUM = 128,
    TFLITE_OP_BROADCAST_TO = 130,
    TFLITE_OP_LAST_KNOWN = 161, /* RIGHT_SHIFT; runtime/rt_opname.c names 0..this */
};

/* union BuiltinOptions: the union's type byte (Operator.builtin_options_type). */
enum tflite_builtin_options {
    TFLITE_OPTIONS_NONE = 0,
    TFLITE_OPTIONS_CONV_2D = 1,
    TFLITE_OPTIONS_DEPTHWISE_CONV_2D = 2,
    TFLITE_OPTIONS_POOL_2D = 5,
    TFLITE_OPTIONS_FULLY_CONNECTED = 8,
    TFLITE_OPTIONS_SOFTMAX = 9,
    TFLITE_OPTIONS_CONCATENATION = 10,
    TFLITE_OPTIONS_ADD = 11,
    TFLITE_OPTIONS_RESHAPE = 17,
    TFLITE_OPTIONS_MUL = 21,
    TFLITE_OPTIONS_PAD = 22,
    TFLITE_OPTIONS_REDUCER = 27,
    TFLITE_OPTIONS_SUB = 28,
    TFLITE_OPTIONS_DEQUANTIZE = 38,
    TFLITE_OPTIONS_QUANTIZE = 89,
    /* Added with the single-operator models and the wider operator set. */
    TFLITE_OPTIONS_SVDF = 6,
    TFLITE_OPTIONS_L2_NORM = 12,
    TFLITE_OPTIONS_RESIZE_BILINEAR = 15,
    TFLITE_OPTIONS_SPACE_TO_DEPTH = 19,
    TFLITE_OPTIONS_GATHER = 23,
    TFLITE_OPTIONS_BATCH_TO_SPACE_ND = 24,
    TFLITE_OPTIONS_SPACE_TO_BATCH_ND = 25,
    TFLITE_OPTIONS_TRANSPOSE = 26,
    TFLITE_OPTIONS_DIV = 29,
    TFLITE_OPTIONS_SQUEEZE = 30,
    TFLITE_OPTIONS_STRIDED_SLICE = 32,
    TFLITE_OPTIONS_EXP = 33,
    TFLITE_OPTIONS_SPLIT = 35,
    TFLITE_OPTIONS_LOG_SOFTMAX = 36,
    TFLITE_OPTIONS_CAST = 37,
    TFLITE_OPTIONS_ARG_MAX = 40,
    TFLITE_OPTIONS_LESS = 41,
    TFLITE_OPTIONS_NEG = 42,
    TFLITE_OPTIONS_PAD_V2 = 43,
    TFLITE_OPTIONS_GREATER = 44,
    TFLITE_OPTIONS_SELECT = 47,
    TFLITE_OPTIONS_SLICE = 48,
    TFLITE_OPTIONS_TRANSPOSE_CONV = 49,
    TFLITE_OPTIONS_EXPAND_DIMS = 52,
    TFLITE_OPTIONS_EQUAL = 53,
    TFLITE_OPTIONS_NOT_EQUAL = 54,
    TFLITE_OPTIONS_SHAPE = 55,
    TFLITE_OPTIONS_ARG_MIN = 57,
    TFLITE_OPTIONS_PACK = 59,
    TFLITE_OPTIONS_LOGICAL_OR = 60,
    TFLITE_OPTIONS_LOGICAL_AND = 62,
    TFLITE_OPTIONS_LOGICAL_NOT = 63,
    TFLITE_OPTIONS_UNPACK = 64,
    TFLITE_OPTIONS_FLOOR_DIV = 65,
    TFLITE_OPTIONS_SQUARE = 66,
    TFLITE_OPTIONS_ZEROS_LIKE = 67,
    TFLITE_OPTIONS_FILL = 68,
    TFLITE_OPTIONS_UNIDIRECTIONAL_SEQUENCE_LSTM = 71,
    TFLITE_OPTIONS_FLOOR_MOD = 72,
    TFLITE_OPTIONS_RESIZE_NEAREST_NEIGHBOR = 74,
    TFLITE_OPTIONS_LEAKY_RELU = 75,
    TFLITE_OPTIONS_SQUARED_DIFFERENCE = 76,
    TFLITE_OPTIONS_MIRROR_PAD = 77,
    TFLITE_OPTIONS_ABS = 78,
    TFLITE_OPTIONS_SPLIT_V = 79,
    TFLITE_OPTIONS_ADD_N = 82,
    TFLITE_OPTIONS_GATHER_ND = 83,
    TFLITE_OPTIONS_COS = 84,
    TFLITE_OPTIONS_HARD_SWISH = 91,
    TFLITE_OPTIONS_DEPTH_TO_SPACE = 94,
    TFLITE_OPTIONS_SELECT_V2 = 98,
    TFLITE_OPTIONS_BATCH_MAT_MUL = 101,
    TFLITE_OPTIONS_CUMSUM = 102,
    TFLITE_OPTIONS_BROADCAST_TO = 104,
};

/* enum Padding : byte */
enum tflite_padding {
    TFLITE_PADDING_SAME = 0,
    TFLITE_PADDING_VALID = 1,
};

/* enum ActivationFunctionType : byte */
enum tflite_activation {
    TFLITE_ACT_NONE = 0,
    TFLITE_ACT_RELU = 1,
    TFLITE_ACT_RELU_N1_TO_1 = 2,
    TFLITE_ACT_RELU6 = 3,
    TFLITE_ACT_TANH = 4,
    TFLITE_ACT_SIGN_BIT = 5,
};

/* table Model (the root table) */
enum tflite_model_field {
    TFLITE_MODEL_VERSION = 0,          /* uint */
    TFLITE_MODEL_OPERATOR_CODES = 1,   /* [OperatorCode] */
    TFLITE_MODEL_SUBGRAPHS = 2,        /* [SubGraph] */
    TFLITE_MODEL_DESCRIPTION = 3,      /* string */
    TFLITE_MODEL_BUFFERS = 4,          /* [Buffer]; buffer 0 is always empty */
    TFLITE_MODEL_METADATA_BUFFER = 5,  /* [int] */
    TFLITE_MODEL_METADATA = 6,         /* [Metadata] */
    TFLITE_MODEL_SIGNATURE_DEFS = 7,   /* [SignatureDef] */
};

/* table OperatorCode */
enum tflite_operator_code_field {
    TFLITE_OPCODE_DEPRECATED_BUILTIN_CODE = 0, /* byte */
    TFLITE_OPCODE_CUSTOM_CODE = 1,             /* string */
    TFLITE_OPCODE_VERSION = 2,                 /* int = 1 */
    TFLITE_OPCODE_BUILTIN_CODE = 3,            /* BuiltinOperator (int32) */
};

/* table SubGraph */
enum tflite_subgraph_field {
    TFLITE_SUBGRAPH_TENSORS = 0,   /* [Tensor] */
    TFLITE_SUBGRAPH_INPUTS = 1,    /* [int] tensor indices */
    TFLITE_SUBGRAPH_OUTPUTS = 2,   /* [int] tensor indices */
    TFLITE_SUBGRAPH_OPERATORS = 3, /* [Operator], in execution order */
    TFLITE_SUBGRAPH_NAME = 4,      /* string */
};

/* table Tensor */
enum tflite_tensor_field {
    TFLITE_TENSOR_SHAPE = 0,           /* [int] */
    TFLITE_TENSOR_TYPE = 1,            /* TensorType (byte) */
    TFLITE_TENSOR_BUFFER = 2,          /* uint, index into Model.buffers */
    TFLITE_TENSOR_NAME = 3,            /* string */
    TFLITE_TENSOR_QUANTIZATION = 4,    /* QuantizationParameters */
    TFLITE_TENSOR_IS_VARIABLE = 5,     /* bool */
    TFLITE_TENSOR_SPARSITY = 6,        /* SparsityParameters */
    TFLITE_TENSOR_SHAPE_SIGNATURE = 7, /* [int] */
    TFLITE_TENSOR_HAS_RANK = 8,        /* bool */
    TFLITE_TENSOR_VARIANT_TENSORS = 9, /* [VariantSubType] */
};

/* table QuantizationParameters: real = scale * (q - zero_point) */
enum tflite_quantization_field {
    TFLITE_QUANT_MIN = 0,                 /* [float] */
    TFLITE_QUANT_MAX = 1,                 /* [float] */
    TFLITE_QUANT_SCALE = 2,               /* [float] */
    TFLITE_QUANT_ZERO_POINT = 3,          /* [long] */
    TFLITE_QUANT_DETAILS_TYPE = 4,        /* union QuantizationDetails type */
    TFLITE_QUANT_DETAILS = 5,
    TFLITE_QUANT_QUANTIZED_DIMENSION = 6, /* int */
};

/* table Buffer */
enum tflite_buffer_field {
    TFLITE_BUFFER_DATA = 0,   /* [ubyte], force_align 16 */
    TFLITE_BUFFER_OFFSET = 1, /* ulong, only in models > 2 GB */
    TFLITE_BUFFER_SIZE = 2,   /* ulong */
};

/* table Operator */
enum tflite_operator_field {
    TFLITE_OPERATOR_OPCODE_INDEX = 0,             /* uint */
    TFLITE_OPERATOR_INPUTS = 1,                   /* [int], -1 = optional input absent */
    TFLITE_OPERATOR_OUTPUTS = 2,                  /* [int] */
    TFLITE_OPERATOR_BUILTIN_OPTIONS_TYPE = 3,     /* enum tflite_builtin_options */
    TFLITE_OPERATOR_BUILTIN_OPTIONS = 4,          /* table, by the type above */
    TFLITE_OPERATOR_CUSTOM_OPTIONS = 5,           /* [ubyte] */
    TFLITE_OPERATOR_CUSTOM_OPTIONS_FORMAT = 6,    /* byte */
    TFLITE_OPERATOR_MUTATING_VARIABLE_INPUTS = 7, /* [bool] */
    TFLITE_OPERATOR_INTERMEDIATES = 8,            /* [int] */
};

/* Operator fields added by newer converters (after intermediates). */
enum tflite_operator_field_newer {
    TFLITE_OPERATOR_LARGE_CUSTOM_OPTIONS_OFFSET = 9, /* ulong */
    TFLITE_OPERATOR_LARGE_CUSTOM_OPTIONS_SIZE = 10,  /* ulong */
    TFLITE_OPERATOR_BUILTIN_OPTIONS_2_TYPE = 11,
    TFLITE_OPERATOR_BUILTIN_OPTIONS_2 = 12,
};

/* table Metadata */
enum tflite_metadata_field {
    TFLITE_METADATA_NAME = 0,   /* string */
    TFLITE_METADATA_BUFFER = 1, /* uint */
};

/* table Conv2DOptions */
enum tflite_conv2d_options_field {
    TFLITE_CONV2D_PADDING = 0,
    TFLITE_CONV2D_STRIDE_W = 1,
    TFLITE_CONV2D_STRIDE_H = 2,
    TFLITE_CONV2D_FUSED_ACTIVATION = 3,
    TFLITE_CONV2D_DILATION_W = 4, /* default 1 */
    TFLITE_CONV2D_DILATION_H = 5, /* default 1 */
    TFLITE_CONV2D_QUANTIZED_BIAS_TYPE = 6,
};

/* table BatchMatMulOptions */
enum tflite_batch_matmul_options_field {
    TFLITE_BATCH_MATMUL_ADJ_X = 0,
    TFLITE_BATCH_MATMUL_ADJ_Y = 1,
};

/* table TransposeConvOptions */
enum tflite_transpose_conv_options_field {
    TFLITE_TCONV_PADDING = 0,
    TFLITE_TCONV_STRIDE_W = 1,
    TFLITE_TCONV_STRIDE_H = 2,
    TFLITE_TCONV_FUSED_ACTIVATION = 3,
};

/* table DepthwiseConv2DOptions */
enum tflite_depthwise_options_field {
    TFLITE_DWCONV_PADDING = 0,
    TFLITE_DWCONV_STRIDE_W = 1,
    TFLITE_DWCONV_STRIDE_H = 2,
    TFLITE_DWCONV_DEPTH_MULTIPLIER = 3,
    TFLITE_DWCONV_FUSED_ACTIVATION = 4,
    TFLITE_DWCONV_DILATION_W = 5, /* default 1 */
    TFLITE_DWCONV_DILATION_H = 6, /* default 1 */
};

/* table Pool2DOptions (AVERAGE_POOL_2D, MAX_POOL_2D) */
enum tflite_pool2d_options_field {
    TFLITE_POOL2D_PADDING = 0,
    TFLITE_POOL2D_STRIDE_W = 1,
    TFLITE_POOL2D_STRIDE_H = 2,
    TFLITE_POOL2D_FILTER_WIDTH = 3,
    TFLITE_POOL2D_FILTER_HEIGHT = 4,
    TFLITE_POOL2D_FUSED_ACTIVATION = 5,
};

/* table FullyConnectedOptions */
enum tflite_fully_connected_options_field {
    TFLITE_FC_FUSED_ACTIVATION = 0,
    TFLITE_FC_WEIGHTS_FORMAT = 1, /* 0 = DEFAULT */
    TFLITE_FC_KEEP_NUM_DIMS = 2,
    TFLITE_FC_ASYMMETRIC_QUANTIZE_INPUTS = 3,
    TFLITE_FC_QUANTIZED_BIAS_TYPE = 4,
};

/* table SoftmaxOptions */
enum tflite_softmax_options_field {
    TFLITE_SOFTMAX_BETA = 0, /* float */
};

/* table AddOptions (SubOptions has the same layout) */
enum tflite_add_options_field {
    TFLITE_ADD_FUSED_ACTIVATION = 0,
    TFLITE_ADD_POT_SCALE_INT16 = 1, /* bool = true */
};

/* table MulOptions */
enum tflite_mul_options_field {
    TFLITE_MUL_FUSED_ACTIVATION = 0,
};

/* table ReshapeOptions */
enum tflite_reshape_options_field {
    TFLITE_RESHAPE_NEW_SHAPE = 0, /* [int] */
};

/* table ConcatenationOptions */
enum tflite_concatenation_options_field {
    TFLITE_CONCAT_AXIS = 0,
    TFLITE_CONCAT_FUSED_ACTIVATION = 1,
};

/* table ReducerOptions (MEAN, SUM, ...) */
enum tflite_reducer_options_field {
    TFLITE_REDUCER_KEEP_DIMS = 0,
};

#endif
