// Max pooling over windows that lie wholly inside the input (no padding, no clipping): the
// inner loops run along output rows with selects the compiler vectorises.
#include "CKernels.h"

#define MAX_POOL_BODY                                                                        \
  {                                                                                         \
    int unordered = 0;                                                                      \
    for (long plane = 0; plane < planes; plane++) {                                         \
      const float *source = input + plane * height * width;                                 \
      float *target = output + plane * out_h * out_w;                                       \
      for (long oh = 0; oh < out_h; oh++) {                                                 \
        float *restrict row = target + oh * out_w;                                          \
        const float *first = source + oh * stride_h * width;                                \
        for (long ow = 0; ow < out_w; ow++) row[ow] = first[ow * stride_w];                 \
        for (long i = 0; i < kernel_h; i++) {                                               \
          const float *restrict line = source + (oh * stride_h + i) * width;                \
          for (long j = 0; j < kernel_w; j++) {                                             \
            int seen = 0;                                                                   \
            for (long ow = 0; ow < out_w; ow++) {                                           \
              float value = line[ow * stride_w + j];                                        \
              seen |= value != value;                                                       \
              row[ow] = value > row[ow] ? value : row[ow];                                  \
            }                                                                               \
            unordered |= seen;                                                              \
          }                                                                                 \
        }                                                                                   \
      }                                                                                     \
    }                                                                                       \
    return !unordered;                                                                      \
  }

#define MAX_POOL_PARAMETERS                                                                 \
  (const float *input, long planes, long height, long width, long kernel_h, long kernel_w,  \
   long stride_h, long stride_w, long out_h, long out_w, float *output)

static int max_pool_baseline MAX_POOL_PARAMETERS MAX_POOL_BODY

#if defined(__x86_64__)
#include <immintrin.h>

// AVX-512: 16 outputs of a row per step for strides 1 and 2 (stride 2 takes the even lanes of
// two loads with one permute); other strides and row tails go element by element.
__attribute__((target("avx512f,avx2,fma"))) static int max_pool_avx512 MAX_POOL_PARAMETERS {
  if (stride_w > 2) {
    return max_pool_baseline(input, planes, height, width, kernel_h, kernel_w, stride_h,
                             stride_w, out_h, out_w, output);
  }
  __mmask16 unordered = 0;
  int unordered_tail = 0;
  const __m512i evens = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  // Vector steps only where every element read lies inside the row: up to (ow + 15)·s + j
  // (stride 2 masks off the last lane of its second load, which no window uses).
  long vector_end = 0;
  while (vector_end + 16 <= out_w && (vector_end + 15) * stride_w + (kernel_w - 1) < width) {
    vector_end += 16;
  }
  for (long plane = 0; plane < planes; plane++) {
    const float *source = input + plane * height * width;
    float *target = output + plane * out_h * out_w;
    for (long oh = 0; oh < out_h; oh++) {
      float *row = target + oh * out_w;
      for (long ow = 0; ow < vector_end; ow += 16) {
        __m512 best = _mm512_set1_ps(-__builtin_inff());
        for (long i = 0; i < kernel_h; i++) {
          const float *line = source + (oh * stride_h + i) * width + ow * stride_w;
          for (long j = 0; j < kernel_w; j++) {
            __m512 value;
            if (stride_w == 1) {
              value = _mm512_loadu_ps(line + j);
            } else {
              value = _mm512_permutex2var_ps(_mm512_loadu_ps(line + j), evens,
                                             _mm512_maskz_loadu_ps(0x7fff, line + j + 16));
            }
            unordered |= _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q);
            best = _mm512_max_ps(value, best);
          }
        }
        _mm512_storeu_ps(row + ow, best);
      }
      for (long ow = vector_end; ow < out_w; ow++) {
        float best = -__builtin_inff();
        for (long i = 0; i < kernel_h; i++) {
          const float *line = source + (oh * stride_h + i) * width + ow * stride_w;
          for (long j = 0; j < kernel_w; j++) {
            float value = line[j];
            unordered_tail |= value != value;
            best = value > best ? value : best;
          }
        }
        row[ow] = best;
      }
    }
  }
  return !(unordered || unordered_tail);
}
#endif

int semrob_max_pool_full(const float *input, long planes, long height, long width,
                         long kernel_h, long kernel_w, long stride_h, long stride_w,
                         long out_h, long out_w, float *output) {
#if defined(__x86_64__)
  // Every thread computes the same value; relaxed atomics keep the cache race-free.
  static int cached = -1;
  int isa = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (isa < 0) {
    isa = semrob_gemm_best_isa();
    __atomic_store_n(&cached, isa, __ATOMIC_RELAXED);
  }
  if (isa == SEMROB_ISA_AVX512) {
    return max_pool_avx512(input, planes, height, width, kernel_h, kernel_w, stride_h, stride_w,
                           out_h, out_w, output);
  }
#endif
  return max_pool_baseline(input, planes, height, width, kernel_h, kernel_w, stride_h, stride_w,
                           out_h, out_w, output);
}
