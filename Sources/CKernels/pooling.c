// Max pooling over windows that lie wholly inside the input (no padding, no clipping): the
// inner loops run along output rows with selects the compiler vectorises.
#include "CKernels.h"

int semrob_max_pool_full(const float *input, long planes, long height, long width,
                         long kernel_h, long kernel_w, long stride_h, long stride_w,
                         long out_h, long out_w, float *output) {
  int unordered = 0;
  for (long plane = 0; plane < planes; plane++) {
    const float *source = input + plane * height * width;
    float *target = output + plane * out_h * out_w;
    for (long oh = 0; oh < out_h; oh++) {
      float *restrict row = target + oh * out_w;
      const float *first = source + oh * stride_h * width;
      for (long ow = 0; ow < out_w; ow++) row[ow] = first[ow * stride_w];
      for (long i = 0; i < kernel_h; i++) {
        const float *restrict line = source + (oh * stride_h + i) * width;
        for (long j = 0; j < kernel_w; j++) {
          int seen = 0;
          for (long ow = 0; ow < out_w; ow++) {
            float value = line[ow * stride_w + j];
            seen |= value != value;
            row[ow] = value > row[ow] ? value : row[ow];
          }
          unordered |= seen;
        }
      }
    }
  }
  return !unordered;
}
