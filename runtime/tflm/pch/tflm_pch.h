/*
 * tflm_pch.h — the headers nearly every TFLM source file parses (the
 * flatbuffers schema alone is 23,000 lines, with the C++ library behind
 * it), precompiled once per core and optimization level and put in front
 * of each TFLM compile with -include.  It only saves time: these headers
 * have include guards, so each file compiles to the same object.
 */
#include "flatbuffers/flexbuffers.h"
#include "tensorflow/lite/c/common.h"
#include "tensorflow/lite/kernels/internal/common.h"
#include "tensorflow/lite/kernels/internal/quantization_util.h"
#include "tensorflow/lite/kernels/internal/tensor_ctypes.h"
#include "tensorflow/lite/kernels/kernel_util.h"
#include "tensorflow/lite/micro/kernels/kernel_util.h"
#include "tensorflow/lite/micro/micro_log.h"
#include "tensorflow/lite/schema/schema_generated.h"
