// The AVX-512F kernel: 8×48 tiles (24 zmm accumulators), depth blocks of 192.
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
#ifndef GEMM_MC
#define GEMM_MC 256
#endif
#ifndef GEMM_NC
#define GEMM_NC 1536
#endif
#define GEMM_NAME(x) semrob_avx512_##x

static inline void micro(long kc, const float *restrict a, const float *restrict b,
                         float *restrict tile) {
  __m512 c[GEMM_MR][3];
#pragma clang loop unroll(full)
  for (int r = 0; r < GEMM_MR; r++) {
    c[r][0] = _mm512_setzero_ps();
    c[r][1] = _mm512_setzero_ps();
    c[r][2] = _mm512_setzero_ps();
  }
  for (long p = 0; p < kc; p++) {
    __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16), b2 = _mm512_loadu_ps(b + 32);
#pragma clang loop unroll(full)
    for (int r = 0; r < GEMM_MR; r++) {
      __m512 value = _mm512_set1_ps(a[r]);
      c[r][0] = _mm512_fmadd_ps(value, b0, c[r][0]);
      c[r][1] = _mm512_fmadd_ps(value, b1, c[r][1]);
      c[r][2] = _mm512_fmadd_ps(value, b2, c[r][2]);
    }
    a += GEMM_MR;
    b += GEMM_NR;
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < GEMM_MR; r++) {
    _mm512_storeu_ps(tile + r * GEMM_NR, c[r][0]);
    _mm512_storeu_ps(tile + r * GEMM_NR + 16, c[r][1]);
    _mm512_storeu_ps(tile + r * GEMM_NR + 32, c[r][2]);
  }
}

#include "gemm_driver.inc"

#pragma clang attribute pop
#endif
