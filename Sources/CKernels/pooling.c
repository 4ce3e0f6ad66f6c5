// Pooling kernels: max pooling (padding and clipped windows count as −∞) and window
// averages over zero-padded planes. The loops run along output rows; AVX-512 versions
// (selected at run time) read the rows from staged, padded lines in whole vectors.
#include <stdint.h>
#include <stdlib.h>

#include "CKernels.h"

#if defined(__x86_64__)
// The instruction set, detected once: every thread computes the same value, and relaxed
// atomics keep the cache race-free.
static int cached_isa(void) {
  static int cached = -1;
  int isa = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (isa < 0) {
    isa = semrob_gemm_best_isa();
    __atomic_store_n(&cached, isa, __ATOMIC_RELAXED);
  }
  return isa;
}
#endif

#define MAX_POOL_BODY                                                                        \
  {                                                                                         \
    int unordered = 0;                                                                      \
    for (long plane = 0; plane < planes; plane++) {                                         \
      const float *source = input + plane * height * width;                                 \
      float *target = output + plane * out_h * out_w;                                       \
      for (long oh = 0; oh < out_h; oh++) {                                                 \
        for (long ow = 0; ow < out_w; ow++) {                                               \
          float best = -__builtin_inff();                                                   \
          long best_index = -1;                                                             \
          for (long i = 0; i < kernel_h; i++) {                                             \
            long y = oh * stride_h - pad_h + i;                                             \
            if (y < 0 || y >= height) continue;                                            \
            for (long j = 0; j < kernel_w; j++) {                                           \
              long x = ow * stride_w - pad_w + j;                                           \
              if (x < 0 || x >= width) continue;                                            \
              float value = source[y * width + x];                                          \
              unordered |= value != value;                                                  \
              if (value > best || best_index < 0) best_index = y * width + x;               \
              best = value > best ? value : best;                                           \
            }                                                                               \
          }                                                                                 \
          target[oh * out_w + ow] = best;                                                   \
          if (indices) indices[plane * out_h * out_w + oh * out_w + ow] = (int32_t)best_index; \
        }                                                                                   \
      }                                                                                     \
    }                                                                                       \
    return !unordered;                                                                      \
  }

#define MAX_POOL_PARAMETERS                                                                 \
  (const float *input, long planes, long height, long width, long kernel_h, long kernel_w,  \
   long stride_h, long stride_w, long pad_h, long pad_w, long out_h, long out_w,            \
   float *output, int32_t *indices)

static int max_pool_baseline MAX_POOL_PARAMETERS MAX_POOL_BODY

#if defined(__x86_64__)
#include <immintrin.h>

// A plane's input rows staged for window kernels at strides 1 and 2: row y's column x at
// pad_w + x of line y, the rest of the line holding `fill` (−∞ for maxima, 0 for sums), and
// 32 floats of slack, so every tap of a 16-output step is whole unmasked loads. The whole
// plane is staged before any window reads it: a tap that read a row just stored (at another
// offset) would wait for the store to reach the cache, which cost more than the pooling.
typedef struct {
  float *lines;  // height lines of `length` floats, 64-byte aligned
  long length;
  long height;
} staged_plane;

// Allocates and fills the lines; 0 if memory ran out (the caller then uses its scalar path).
__attribute__((target("avx512f,avx2,fma"))) static int stage_open(
    staged_plane *stage, long height, long kernel_w, long stride_w, long pad_w, long width,
    long out_w, float fill) {
  // Taps read up to column (out_w rounded up to 16)·stride_w + kernel_w, 32 floats at a time.
  long length = ((out_w + 15) / 16 * 16) * stride_w + kernel_w + pad_w + width + 32;
  stage->length = (length + 15) / 16 * 16;
  stage->height = height;
  stage->lines = aligned_alloc(64, sizeof(float) * (size_t)(height * stage->length));
  if (!stage->lines) return 0;
  __m512 value = _mm512_set1_ps(fill);
  for (long l = 0; l < height * stage->length; l += 16) _mm512_store_ps(stage->lines + l, value);
  return 1;
}

static void stage_close(staged_plane *stage) { free(stage->lines); }

// Copies every row of the plane at `source` into its line; with `unordered`, NaN lanes are
// or-ed into it (each input value is checked once, not once per tap).
__attribute__((target("avx512f,avx2,fma"))) static inline void stage_rows(
    staged_plane *stage, const float *source, long width, long pad_w, __mmask16 *unordered) {
  __mmask16 nan = 0;
  long whole = width / 16 * 16;
  __mmask16 tail = (__mmask16)((1u << (width - whole)) - 1);
  for (long y = 0; y < stage->height; y++) {
    float *middle = stage->lines + y * stage->length + pad_w;
    const float *from = source + y * width;
    for (long x = 0; x < whole; x += 16) {
      __m512 value = _mm512_loadu_ps(from + x);
      nan |= _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q);
      _mm512_storeu_ps(middle + x, value);
    }
    if (tail) {
      __m512 value = _mm512_maskz_loadu_ps(tail, from + whole);
      nan |= _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q);
      _mm512_mask_storeu_ps(middle + whole, tail, value);
    }
  }
  if (unordered) *unordered |= nan;
}

// Line of input row y, or NULL for a row outside the plane (padding, clipped windows).
static inline const float *staged_line(const staged_plane *stage, long y) {
  return y < 0 || y >= stage->height ? NULL : stage->lines + y * stage->length;
}

// 16 taps of a window row: columns at, at + stride_w, … of a staged line (stride 1 or 2; at
// stride 2 the even lanes of two loads).
__attribute__((target("avx512f,avx2,fma"), always_inline)) static inline __m512 row_taps(
    const float *at, long stride_w) {
  const __m512i evens = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  return stride_w == 1 ? _mm512_loadu_ps(at)
                       : _mm512_permutex2var_ps(_mm512_loadu_ps(at), evens, _mm512_loadu_ps(at + 16));
}

// 2×2 windows at stride 2 without padding over planes of even height and width (VGG's max
// pools, 4×4 → 2×2 adaptive averages): no staging and no per-plane set-up, which dominate
// for the small planes of late layers. With half = width / 2 a multiple of 16, each pair of
// input rows gives its output row 16 outputs per step; with half 1, 2, 4 or 8 the planes are
// one flat sequence of row pairs (a row pair is 4·half floats, so 64 floats make 16 outputs),
// and permutations pick each tap. `average` sums the taps (0 + x00 + x01 + x10 + x11, the
// order of the exact path) and divides by 4; otherwise the maximum, with NaN inputs reported
// by a return of 0. Returns -1 (nothing done) for other widths.
__attribute__((target("avx512f,avx2,fma"))) static int pool2x2_avx512(const float *input,
                                                                     long planes, long height,
                                                                     long width, int average,
                                                                     float *output) {
  long half = width / 2;
  __mmask16 unordered = 0;
  const __m512 four = _mm512_set1_ps(4), zero = _mm512_setzero_ps();
#define POOL2X2_COMBINE(x00, x01, x10, x11)                                                 \
  (average ? _mm512_div_ps(                                                                 \
                 _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(_mm512_add_ps(zero, x00), x01), x10), \
                               x11),                                                        \
                 four)                                                                      \
           : _mm512_max_ps(_mm512_max_ps(x00, x01), _mm512_max_ps(x10, x11)))
  if (half % 16 == 0) {
    const __m512i evens =
        _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odds = _mm512_add_epi32(evens, _mm512_set1_epi32(1));
    long pairs = planes * height / 2;
    for (long p = 0; p < pairs; p++) {
      const float *top = input + 2 * p * width, *bottom = top + width;
      float *row = output + p * half;
      for (long x = 0; x < half; x += 16) {
        __m512 t0 = _mm512_loadu_ps(top + 2 * x), t1 = _mm512_loadu_ps(top + 2 * x + 16);
        __m512 b0 = _mm512_loadu_ps(bottom + 2 * x), b1 = _mm512_loadu_ps(bottom + 2 * x + 16);
        if (!average) {
          unordered |= _mm512_cmp_ps_mask(t0, b0, _CMP_UNORD_Q) |
                       _mm512_cmp_ps_mask(t1, b1, _CMP_UNORD_Q);
        }
        __m512 x00 = _mm512_permutex2var_ps(t0, evens, t1);
        __m512 x01 = _mm512_permutex2var_ps(t0, odds, t1);
        __m512 x10 = _mm512_permutex2var_ps(b0, evens, b1);
        __m512 x11 = _mm512_permutex2var_ps(b0, odds, b1);
        _mm512_storeu_ps(row + x, POOL2X2_COMBINE(x00, x01, x10, x11));
      }
    }
    return !unordered;
  }
  if (half != 1 && half != 2 && half != 4 && half != 8) return -1;
  // Lane l of a 16-output step: row pair l / half, column l % half; tap (dy, dx) lies at
  // offset (l / half)·4·half + dy·2·half + 2·(l % half) + dx of the step's 64 floats. Lanes
  // 0–7 read the first 32 floats and lanes 8–15 the last 32, so each tap is two permutations
  // (offset mod 32) and a blend.
  int offsets[4][16];
  for (int tap = 0; tap < 4; tap++) {
    for (int l = 0; l < 16; l++) {
      long at = (l / half) * 4 * half + (tap / 2) * 2 * half + 2 * (l % half) + tap % 2;
      offsets[tap][l] = (int)(at % 32);
    }
  }
  __m512i index[4];
  for (int tap = 0; tap < 4; tap++) index[tap] = _mm512_loadu_si512(offsets[tap]);
  long total = planes * height / 2 * half;  // outputs
  long whole = total / 16 * 16;
  for (long o = 0; o < whole; o += 16) {
    const float *from = input + 4 * o;
    __m512 v0 = _mm512_loadu_ps(from), v1 = _mm512_loadu_ps(from + 16);
    __m512 v2 = _mm512_loadu_ps(from + 32), v3 = _mm512_loadu_ps(from + 48);
    if (!average) {
      unordered |=
          _mm512_cmp_ps_mask(v0, v1, _CMP_UNORD_Q) | _mm512_cmp_ps_mask(v2, v3, _CMP_UNORD_Q);
    }
    __m512 x[4];
    for (int tap = 0; tap < 4; tap++) {
      x[tap] = _mm512_mask_blend_ps(0xFF00, _mm512_permutex2var_ps(v0, index[tap], v1),
                                    _mm512_permutex2var_ps(v2, index[tap], v3));
    }
    _mm512_storeu_ps(output + o, POOL2X2_COMBINE(x[0], x[1], x[2], x[3]));
  }
#undef POOL2X2_COMBINE
  for (long o = whole; o < total; o++) {
    const float *top = input + (o / half) * 4 * half + 2 * (o % half), *bottom = top + 2 * half;
    if (average) {
      output[o] = (((0.0f + top[0]) + top[1]) + bottom[0]) + bottom[1];
      output[o] /= 4;
    } else {
      float a = top[0] > top[1] ? top[0] : top[1], b = bottom[0] > bottom[1] ? bottom[0] : bottom[1];
      if (top[0] != top[0] || top[1] != top[1] || bottom[0] != bottom[0] || bottom[1] != bottom[1]) {
        unordered = 1;
      }
      output[o] = a > b ? a : b;
    }
  }
  return !unordered;
}

// Whether a pooling call is the plain 2×2, stride-2, unpadded case of pool2x2_avx512.
static int plain_2x2(long height, long width, long kernel_h, long kernel_w, long stride_h,
                     long stride_w, long pad_h, long pad_w, long out_h, long out_w) {
  return kernel_h == 2 && kernel_w == 2 && stride_h == 2 && stride_w == 2 && pad_h == 0 &&
         pad_w == 0 && height % 2 == 0 && width % 2 == 0 && out_h == height / 2 &&
         out_w == width / 2;
}

// AVX-512: 16 outputs of a row per step for strides 1 and 2 (stride 2 takes the even lanes of
// two loads with one permute); other strides go element by element. Each input row a window
// reads is first staged into a line padded with −∞ on both sides (and 32 floats of slack), so
// every tap is two whole unmasked loads: masked loads whose masked-off lanes run past the row
// (or with an empty mask) are several times slower than the whole kernel on some CPUs.
__attribute__((target("avx512f,avx2,fma"), always_inline)) static inline int
max_pool_avx512_body MAX_POOL_PARAMETERS {
  if (stride_w > 2) {
    return max_pool_baseline(input, planes, height, width, kernel_h, kernel_w, stride_h,
                             stride_w, pad_h, pad_w, out_h, out_w, output, indices);
  }
  __mmask16 unordered = 0;
  // Argmax bookkeeping (indices only): lane e's column offset e·stride_w, and −1 for "no tap
  // yet", so the first tap inside the plane is taken even when it is −∞.
  const __m512i lane_offsets =
      _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                         _mm512_set1_epi32((int)stride_w));
  const __m512i none = _mm512_set1_epi32(-1);
  const __m512 lowest = _mm512_set1_ps(-__builtin_inff());
  staged_plane stage;
  if (!stage_open(&stage, height, kernel_w, stride_w, pad_w, width, out_w, -__builtin_inff())) {
    return max_pool_baseline(input, planes, height, width, kernel_h, kernel_w, stride_h,
                             stride_w, pad_h, pad_w, out_h, out_w, output, indices);
  }
  for (long plane = 0; plane < planes; plane++) {
    const float *source = input + plane * height * width;
    float *target = output + plane * out_h * out_w;
    stage_rows(&stage, source, width, pad_w, &unordered);
    for (long oh = 0; oh < out_h; oh++) {
      float *row = target + oh * out_w;
      const float *line_of[kernel_h];
      for (long i = 0; i < kernel_h; i++) line_of[i] = staged_line(&stage, oh * stride_h - pad_h + i);
      if (!indices) {
        // Maxima only: every tap is whole loads (and one permutation at stride 2).
        for (long ow = 0; ow < out_w; ow += 16) {
          long lanes = out_w - ow < 16 ? out_w - ow : 16;
          __m512 best = lowest;
          for (long i = 0; i < kernel_h; i++) {
            if (!line_of[i]) continue;
            const float *from = line_of[i] + ow * stride_w;
            for (long j = 0; j < kernel_w; j++) best = _mm512_max_ps(row_taps(from + j, stride_w), best);
          }
          _mm512_mask_storeu_ps(row + ow, (__mmask16)((1u << lanes) - 1), best);
        }
        continue;
      }
      // Maxima with argmax offsets.
      for (long ow = 0; ow < out_w; ow += 16) {
        long lanes = out_w - ow < 16 ? out_w - ow : 16;
        __mmask16 used = (__mmask16)((1u << lanes) - 1);
        __m512 best = lowest;
        __m512i best_index = none;
        for (long i = 0; i < kernel_h; i++) {
          long y = oh * stride_h - pad_h + i;
          const float *line = line_of[i];
          if (!line) continue;
          for (long j = 0; j < kernel_w; j++) {
            // Lane e reads column first + e·stride_w (−∞ outside the row: padding and clipped
            // windows never win, as in PyTorch).
            long first = ow * stride_w - pad_w + j;
            __m512 value = row_taps(line + pad_w + first, stride_w);
            // Lanes whose tap lies inside the row: first + e·stride_w in [0, width).
            long lo = first < 0 ? (-first + stride_w - 1) / stride_w : 0;
            long hi = width - 1 - first < 0 ? -1 : (width - 1 - first) / stride_w;
            if (hi > lanes - 1) hi = lanes - 1;
            __mmask16 valid =
                hi < lo ? 0 : (__mmask16)(((1u << (hi + 1)) - 1) & ~((1u << lo) - 1));
            __mmask16 take = _mm512_mask_cmp_ps_mask(used, value, best, _CMP_GT_OQ) |
                             _mm512_mask_cmpeq_epi32_mask(valid, best_index, none);
            __m512i candidate =
                _mm512_add_epi32(_mm512_set1_epi32((int)(y * width + first)), lane_offsets);
            best_index = _mm512_mask_mov_epi32(best_index, take, candidate);
            best = _mm512_mask_mov_ps(best, take, value);
          }
        }
        _mm512_mask_storeu_ps(row + ow, used, best);
        _mm512_mask_storeu_epi32(indices + plane * out_h * out_w + oh * out_w + ow, used,
                                 best_index);
      }
    }
  }
  stage_close(&stage);
  return !unordered;
}

// The common window shapes with their sizes and horizontal stride as constants, so the tap
// loops unroll; anything else runs the same body with run-time sizes.
__attribute__((target("avx512f,avx2,fma"))) static int max_pool_avx512 MAX_POOL_PARAMETERS {
  if (kernel_h == 3 && kernel_w == 3 && stride_w == 2) {
    return max_pool_avx512_body(input, planes, height, width, 3, 3, stride_h, 2, pad_h, pad_w,
                                out_h, out_w, output, indices);
  }
  if (kernel_h == 3 && kernel_w == 3 && stride_w == 1) {
    return max_pool_avx512_body(input, planes, height, width, 3, 3, stride_h, 1, pad_h, pad_w,
                                out_h, out_w, output, indices);
  }
  if (kernel_h == 2 && kernel_w == 2 && stride_w == 2) {
    return max_pool_avx512_body(input, planes, height, width, 2, 2, stride_h, 2, pad_h, pad_w,
                                out_h, out_w, output, indices);
  }
  return max_pool_avx512_body(input, planes, height, width, kernel_h, kernel_w, stride_h,
                              stride_w, pad_h, pad_w, out_h, out_w, output, indices);
}
#endif

int semrob_max_pool(const float *input, long planes, long height, long width, long kernel_h,
                    long kernel_w, long stride_h, long stride_w, long pad_h, long pad_w,
                    long out_h, long out_w, float *output, int32_t *indices) {
#if defined(__x86_64__)
  if (cached_isa() == SEMROB_ISA_AVX512) {
    if (!indices &&
        plain_2x2(height, width, kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, out_h, out_w)) {
      int done = pool2x2_avx512(input, planes, height, width, 0, output);
      if (done >= 0) return done;
    }
    return max_pool_avx512(input, planes, height, width, kernel_h, kernel_w, stride_h, stride_w,
                           pad_h, pad_w, out_h, out_w, output, indices);
  }
#endif
  return max_pool_baseline(input, planes, height, width, kernel_h, kernel_w, stride_h, stride_w,
                           pad_h, pad_w, out_h, out_w, output, indices);
}

// Window averages over zero-padded planes: output[p][y][x] = (Σ_{i<kernel_h, j<kernel_w}
// padded[p][y·stride_h + i][x·stride_w + j]) / divisors[y·out_w + x], the taps summed in
// row-major window order from 0 (padding adds zeros), every window inside the padded plane.
#define BOX_AVERAGE_PARAMETERS                                                              \
  (const float *input, long planes, long height, long width, long kernel_h, long kernel_w,  \
   long stride_h, long stride_w, long pad_h, long pad_w, long out_h, long out_w,            \
   const float *divisors, float *output)

static void box_average_baseline BOX_AVERAGE_PARAMETERS {
  for (long plane = 0; plane < planes; plane++) {
    const float *source = input + plane * height * width;
    float *target = output + plane * out_h * out_w;
    for (long oh = 0; oh < out_h; oh++) {
      for (long ow = 0; ow < out_w; ow++) {
        float total = 0;
        for (long i = 0; i < kernel_h; i++) {
          long y = oh * stride_h - pad_h + i;
          for (long j = 0; j < kernel_w; j++) {
            long x = ow * stride_w - pad_w + j;
            total += y >= 0 && y < height && x >= 0 && x < width ? source[y * width + x] : 0.0f;
          }
        }
        target[oh * out_w + ow] = total / divisors[oh * out_w + ow];
      }
    }
  }
}

#if defined(__x86_64__)
// AVX-512 for strides 1 and 2: input rows staged into zero-padded lines (as in max pooling),
// 16 outputs per step from whole unmasked loads, the division vectorised too.
__attribute__((target("avx512f,avx2,fma"), always_inline)) static inline void
box_average_avx512_body BOX_AVERAGE_PARAMETERS {
  staged_plane stage;
  if (stride_w > 2 || !stage_open(&stage, height, kernel_w, stride_w, pad_w, width, out_w, 0.0f)) {
    box_average_baseline(input, planes, height, width, kernel_h, kernel_w, stride_h, stride_w,
                         pad_h, pad_w, out_h, out_w, divisors, output);
    return;
  }
  const __m512 zero = _mm512_setzero_ps();
  for (long plane = 0; plane < planes; plane++) {
    const float *source = input + plane * height * width;
    float *target = output + plane * out_h * out_w;
    stage_rows(&stage, source, width, pad_w, NULL);
    for (long oh = 0; oh < out_h; oh++) {
      const float *line_of[kernel_h];
      for (long i = 0; i < kernel_h; i++) line_of[i] = staged_line(&stage, oh * stride_h - pad_h + i);
      for (long ow = 0; ow < out_w; ow += 16) {
        long lanes = out_w - ow < 16 ? out_w - ow : 16;
        __mmask16 used = (__mmask16)((1u << lanes) - 1);
        __m512 total = zero;
        for (long i = 0; i < kernel_h; i++) {
          // Rows of padding would add zeros to a sum that starts at +0 (so is never −0): no-ops.
          if (!line_of[i]) continue;
          const float *line = line_of[i] + ow * stride_w;
          for (long j = 0; j < kernel_w; j++) total = _mm512_add_ps(total, row_taps(line + j, stride_w));
        }
        __m512 divisor = _mm512_mask_loadu_ps(_mm512_set1_ps(1), used, divisors + oh * out_w + ow);
        _mm512_mask_storeu_ps(target + oh * out_w + ow, used, _mm512_div_ps(total, divisor));
      }
    }
  }
  stage_close(&stage);
}

// Global average pooling (one window covering the whole unpadded plane): each plane is one
// contiguous run of height·width values, summed 16 lanes at a time, the lanes then added
// pairwise, and divided once.
__attribute__((target("avx512f,avx2,fma"))) static void plane_averages(const float *input,
                                                                     long planes, long count,
                                                                     float divisor,
                                                                     float *output) {
  long whole = count / 16 * 16;
  __mmask16 tail = (__mmask16)((1u << (count - whole)) - 1);
  for (long p = 0; p < planes; p++) {
    const float *from = input + p * count;
    __m512 total = _mm512_setzero_ps();
    for (long x = 0; x < whole; x += 16) total = _mm512_add_ps(total, _mm512_loadu_ps(from + x));
    if (tail) total = _mm512_add_ps(total, _mm512_maskz_loadu_ps(tail, from + whole));
    output[p] = _mm512_reduce_add_ps(total) / divisor;
  }
}

// As for max pooling: the common windows with constant sizes and horizontal stride.
__attribute__((target("avx512f,avx2,fma"))) static void box_average_avx512
BOX_AVERAGE_PARAMETERS {
  if (kernel_h == 3 && kernel_w == 3 && stride_w == 1) {
    box_average_avx512_body(input, planes, height, width, 3, 3, stride_h, 1, pad_h, pad_w, out_h,
                            out_w, divisors, output);
  } else if (kernel_h == 3 && kernel_w == 3 && stride_w == 2) {
    box_average_avx512_body(input, planes, height, width, 3, 3, stride_h, 2, pad_h, pad_w, out_h,
                            out_w, divisors, output);
  } else {
    box_average_avx512_body(input, planes, height, width, kernel_h, kernel_w, stride_h, stride_w,
                            pad_h, pad_w, out_h, out_w, divisors, output);
  }
}
#endif

void semrob_box_average(const float *input, long planes, long height, long width,
                        long kernel_h, long kernel_w, long stride_h, long stride_w, long pad_h,
                        long pad_w, long out_h, long out_w, const float *divisors,
                        float *output) {
#if defined(__x86_64__)
  if (cached_isa() == SEMROB_ISA_AVX512) {
    if (out_h == 1 && out_w == 1 && pad_h == 0 && pad_w == 0 && kernel_h == height &&
        kernel_w == width) {
      plane_averages(input, planes, height * width, divisors[0], output);
      return;
    }
    if (plain_2x2(height, width, kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, out_h, out_w)) {
      int fours = 1;
      for (long i = 0; i < out_h * out_w; i++) fours &= divisors[i] == 4;
      if (fours && pool2x2_avx512(input, planes, height, width, 1, output) >= 0) return;
    }
    box_average_avx512(input, planes, height, width, kernel_h, kernel_w, stride_h, stride_w,
                       pad_h, pad_w, out_h, out_w, divisors, output);
    return;
  }
#endif
  box_average_baseline(input, planes, height, width, kernel_h, kernel_w, stride_h, stride_w,
                       pad_h, pad_w, out_h, out_w, divisors, output);
}
