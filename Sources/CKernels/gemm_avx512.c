// The AVX-512F kernel: 8×48 tiles (24 zmm accumulators; 8×16 and 8×32 for narrow column
// remainders), depth blocks of 192.
#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#include "CKernels.h"

#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)

#define GEMM_MR 8
#define GEMM_NR 48
#ifndef GEMM_KC
#define GEMM_KC 192
#endif
#ifndef GEMM_NC
#define GEMM_NC 768
#endif
#define GEMM_NAME(x) semrob_avx512_##x

// The product of an A panel and the first 16·NV columns of a B panel, stored to `tile` (row
// stride GEMM_NR); narrow column remainders use NV = 1 or 2.
#define DEFINE_MICRO(NV)                                                                       \
  static inline void micro_##NV(long kc, const float *restrict a, const float *restrict b,    \
                                float *restrict tile) {                                       \
    __m512 c[GEMM_MR][NV];                                                                     \
    _Pragma("clang loop unroll(full)") for (int r = 0; r < GEMM_MR; r++)                      \
      _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) c[r][v] =               \
        _mm512_setzero_ps();                                                                   \
    for (long p = 0; p < kc; p++) {                                                            \
      __m512 bv[NV];                                                                           \
      _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) bv[v] =                 \
        _mm512_loadu_ps(b + 16 * v);                                                           \
      _Pragma("clang loop unroll(full)") for (int r = 0; r < GEMM_MR; r++) {                  \
        __m512 value = _mm512_set1_ps(a[r]);                                                   \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) c[r][v] =             \
          _mm512_fmadd_ps(value, bv[v], c[r][v]);                                              \
      }                                                                                        \
      a += GEMM_MR;                                                                            \
      b += GEMM_NR;                                                                            \
    }                                                                                          \
    _Pragma("clang loop unroll(full)") for (int r = 0; r < GEMM_MR; r++)                      \
      _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++)                         \
        _mm512_storeu_ps(tile + r * GEMM_NR + 16 * v, c[r][v]);                                \
  }

DEFINE_MICRO(1)
DEFINE_MICRO(2)
DEFINE_MICRO(3)

static inline void micro(long kc, const float *restrict a, const float *restrict b, long width,
                         float *restrict tile) {
  if (width > 32) {
    micro_3(kc, a, b, tile);
  } else if (width > 16) {
    micro_2(kc, a, b, tile);
  } else {
    micro_1(kc, a, b, tile);
  }
}

// The same product for a full tile whose rows lie contiguous in C: stored from the registers
// with the epilogue applied there (c = alpha·acc + old·c + bias[row] + addend, then ReLU).
#define GEMM_HAS_DIRECT_STORE 1
static inline void micro_store(long kc, const float *restrict a, const float *restrict b,
                               float *restrict c, long ldc, float alpha, float old,
                               const float *bias, const float *addend, int relu) {
  __m512 acc[GEMM_MR][3];
#pragma clang loop unroll(full)
  for (int r = 0; r < GEMM_MR; r++) {
    acc[r][0] = _mm512_setzero_ps();
    acc[r][1] = _mm512_setzero_ps();
    acc[r][2] = _mm512_setzero_ps();
  }
  // The addend's 24 lines (8 rows × 3) come from memory: one prefetch per depth step, so they
  // arrive by the epilogue without filling the miss buffers at once (loading them only there
  // stalls the tile on memory latency).
  long fetched = addend ? 0 : 3 * GEMM_MR;
  for (long p = 0; p < kc; p++) {
    if (fetched < 3 * GEMM_MR) {
      _mm_prefetch((const char *)(addend + fetched / 3 * ldc + 16 * (fetched % 3)), _MM_HINT_T0);
      fetched++;
    }
    __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16), b2 = _mm512_loadu_ps(b + 32);
#pragma clang loop unroll(full)
    for (int r = 0; r < GEMM_MR; r++) {
      __m512 value = _mm512_set1_ps(a[r]);
      acc[r][0] = _mm512_fmadd_ps(value, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(value, b1, acc[r][1]);
      acc[r][2] = _mm512_fmadd_ps(value, b2, acc[r][2]);
    }
    a += GEMM_MR;
    b += GEMM_NR;
  }
  __m512 scale = _mm512_set1_ps(alpha), keep = _mm512_set1_ps(old), zero = _mm512_setzero_ps();
#pragma clang loop unroll(full)
  for (int r = 0; r < GEMM_MR; r++) {
    float *row = c + r * ldc;
    __m512 shift = _mm512_set1_ps(bias ? bias[r] : 0);
#pragma clang loop unroll(full)
    for (int v = 0; v < 3; v++) {
      __m512 value = alpha == 1 ? acc[r][v] : _mm512_mul_ps(acc[r][v], scale);
      if (old != 0) value = _mm512_fmadd_ps(keep, _mm512_loadu_ps(row + 16 * v), value);
      value = _mm512_add_ps(value, shift);
      if (addend) value = _mm512_add_ps(value, _mm512_loadu_ps(addend + r * ldc + 16 * v));
      if (relu) value = _mm512_max_ps(value, zero);
      _mm512_storeu_ps(row + 16 * v, value);
    }
  }
}

#include "gemm_driver.inc"

#pragma clang attribute pop
#endif
