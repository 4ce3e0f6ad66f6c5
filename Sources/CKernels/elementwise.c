// Elementwise kernels of the backward pass: ReLU masks and sums of two tensors. Plain loops
// without branches, which the compiler vectorises for the baseline instruction set; they are
// bound by memory bandwidth, not arithmetic.
#include "CKernels.h"

void semrob_relu_mask(const float *gradient, const float *output, long count, float *result) {
  // Both loads unconditional, so the select vectorises.
  for (long i = 0; i < count; i++) {
    float g = gradient[i], y = output[i];
    result[i] = y > 0 ? g : 0.0f;
  }
}

void semrob_add(const float *a, const float *b, long count, int relu, float *result) {
  if (relu) {
    for (long i = 0; i < count; i++) {
      float value = a[i] + b[i];
      result[i] = value > 0 ? value : 0.0f;
    }
  } else {
    for (long i = 0; i < count; i++) result[i] = a[i] + b[i];
  }
}
