// Run-time selection of the GEMM kernel by instruction set.
#include <stdlib.h>

#include "CKernels.h"

#if defined(__x86_64__)
#include <cpuid.h>

#define DECLARE(prefix)                                                                     \
  size_t prefix##packed_a_count(long m, long k);                                            \
  void prefix##pack_a(int transposed, long m, long k, const float *a, long lda,             \
                      float *packed);                                                       \
  size_t prefix##workspace_count(long n, long k);                                           \
  void prefix##run(long packed_rows, long first_row, long m, long n, long k, float alpha,   \
                   const float *packed_a, int transposed_b, const float *b, long ldb,       \
                   float beta, float *c, long ldc, const semrob_gemm_columns *columns,      \
                   const semrob_gemm_epilogue *epilogue, float *workspace);
DECLARE(semrob_avx512_)

int semrob_gemm_best_isa(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return SEMROB_ISA_NONE;
  int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
  if (!osxsave || !avx) return SEMROB_ISA_NONE;
  unsigned low, high;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  // The operating system must save the YMM (bits 1–2) and ZMM (bits 5–7) state.
  if ((low & 0x6) != 0x6) return SEMROB_ISA_NONE;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return SEMROB_ISA_NONE;
  int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
  if (avx512f && avx2 && fma && (low & 0xe6) == 0xe6) return SEMROB_ISA_AVX512;
  return SEMROB_ISA_NONE;
}

#define DISPATCH(isa, call)                      \
  switch (isa) {                                 \
  case SEMROB_ISA_AVX512: return semrob_avx512_##call; \
  default: abort();                              \
  }

size_t semrob_gemm_packed_a_count(int isa, long m, long k) {
  DISPATCH(isa, packed_a_count(m, k))
}

void semrob_gemm_pack_a(int isa, int transposed, long m, long k, const float *a, long lda,
                        float *packed) {
  DISPATCH(isa, pack_a(transposed, m, k, a, lda, packed))
}

size_t semrob_gemm_workspace_count(int isa, long n, long k) {
  DISPATCH(isa, workspace_count(n, k))
}

void semrob_gemm_run(int isa, long packed_rows, long first_row, long m, long n, long k,
                     float alpha, const float *packed_a, int transposed_b, const float *b,
                     long ldb, float beta, float *c, long ldc, const semrob_gemm_columns *columns,
                     const semrob_gemm_epilogue *epilogue, float *workspace) {
  DISPATCH(isa, run(packed_rows, first_row, m, n, k, alpha, packed_a, transposed_b, b, ldb, beta,
                    c, ldc, columns, epilogue, workspace))
}

#else

int semrob_gemm_best_isa(void) { return SEMROB_ISA_NONE; }
size_t semrob_gemm_packed_a_count(int isa, long m, long k) { abort(); }
void semrob_gemm_pack_a(int isa, int transposed, long m, long k, const float *a, long lda,
                        float *packed) { abort(); }
size_t semrob_gemm_workspace_count(int isa, long n, long k) { abort(); }
void semrob_gemm_run(int isa, long packed_rows, long first_row, long m, long n, long k,
                     float alpha, const float *packed_a, int transposed_b, const float *b,
                     long ldb, float beta, float *c, long ldc, const semrob_gemm_columns *columns,
                     const semrob_gemm_epilogue *epilogue, float *workspace) { abort(); }

#endif
