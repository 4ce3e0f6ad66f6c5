// The direct convolution kernel for AVX-512F: 8 output positions × 48 output channels per
// register tile (24 zmm accumulators). Weights are the vector operand (packed 48 channels per
// depth step); input values are broadcast straight from the zero-padded planes through a
// table of per-position and per-depth offsets, so no im2col buffer is written.
#include <stdlib.h>

#include "CKernels.h"

#define CONV_MR 8
#define CONV_NR 48
// Output positions per block: their input rows stay in L2 while every 48-channel weight
// panel passes over them. Padded layers copy a block's rows plus kernel_h − 1 more into the
// band, so longer blocks copy less twice (32-wide rows: 10 band rows per 8 output rows).
#define CONV_POSITIONS 256

long semrob_conv_channel_blocks(long out_channels) {
  return (out_channels + CONV_NR - 1) / CONV_NR;
}

// Output channels in blocks of 16, 32 or 48 (one to three zmm vectors): as many blocks as
// 48-wide ones would need, with the widths balanced so no block is mostly padding (64 channels
// are 32 + 32, not 48 + 16). Block b starts at channel *start and is *width wide.
static void channel_block(long out_channels, long b, long *start, long *width) {
  long blocks = semrob_conv_channel_blocks(out_channels), first = 0;
  for (long i = 0;; i++) {
    long remaining = out_channels - first, left = blocks - i;
    long w = ((remaining + left - 1) / left + 15) / 16 * 16;
    if (w > CONV_NR) w = CONV_NR;
    if (i == b) {
      *start = first;
      *width = w;
      return;
    }
    first += w;
  }
}

size_t semrob_conv_packed_weights_count(long out_channels, long depth) {
  long start, width;
  channel_block(out_channels, semrob_conv_channel_blocks(out_channels) - 1, &start, &width);
  return (size_t)((start + width) * depth);
}

void semrob_conv_pack_weights(long out_channels, long depth, const float *weights,
                              float *packed) {
  long blocks = semrob_conv_channel_blocks(out_channels);
  for (long b = 0; b < blocks; b++) {
    long start, width;
    channel_block(out_channels, b, &start, &width);
    float *panel = packed + start * depth;
    for (long k = 0; k < depth; k++) {
      for (long c = 0; c < width; c++) {
        long channel = start + c;
        panel[k * width + c] = channel < out_channels ? weights[channel * depth + k] : 0;
      }
    }
  }
}

#define ROWS_MR 8

size_t semrob_conv_rows_packed_count(long out_channels, long depth) {
  return (size_t)(((out_channels + ROWS_MR - 1) / ROWS_MR) * ROWS_MR * depth);
}

void semrob_conv_rows_pack(long out_channels, long depth, const float *weights, float *packed) {
  long panels = (out_channels + ROWS_MR - 1) / ROWS_MR;
  for (long p = 0; p < panels; p++) {
    float *panel = packed + p * ROWS_MR * depth;
    for (long k = 0; k < depth; k++) {
      for (long r = 0; r < ROWS_MR; r++) {
        long channel = p * ROWS_MR + r;
        panel[k * ROWS_MR + r] = channel < out_channels ? weights[channel * depth + k] : 0;
      }
    }
  }
}

#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)

// Where a full tile of 8 positions consecutive in one output plane goes: stored transposed,
// so each channel's 8 positions are one contiguous vector.
typedef struct {
  float *output;        // the tile's first position in channel 0's plane
  const float *addend;  // laid out like output (same offset), or NULL
  const float *bias;    // per output channel, or NULL
  long positions;       // floats between channel planes
  long first_channel;   // the block's first output channel
  long channels;        // real channels in the block
  int relu;
} conv_store;

// Transposes 8 rows of 8 floats in place: rows[c] becomes column c.
static inline void transpose8(__m256 rows[8]) {
  __m256 t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(rows[i], rows[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(rows[i], rows[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
    u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
    u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  for (int i = 0; i < 4; i++) {
    rows[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
    rows[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
  }
}

// Stores channels [first, first + 8) of the block (8 positions each) with the epilogue.
static inline void store_columns(__m256 columns[8], long first, const conv_store *st) {
  __m256 zero = _mm256_setzero_ps();
  for (int i = 0; i < 8; i++) {
    long channel = first + i;
    if (channel >= st->channels) return;
    long absolute = st->first_channel + channel;
    __m256 value = columns[i];
    if (st->bias) value = _mm256_add_ps(value, _mm256_set1_ps(st->bias[absolute]));
    if (st->addend) {
      value = _mm256_add_ps(value, _mm256_loadu_ps(st->addend + absolute * st->positions));
    }
    if (st->relu) value = _mm256_max_ps(value, zero);
    _mm256_storeu_ps(st->output + absolute * st->positions, value);
  }
}

// Stores a full tile (8 consecutive positions × the block's channels) transposed: 8×8
// transposes in registers instead of one gather per channel.
static void store_transposed(const float *tile, long width, const conv_store *st) {
  for (long v = 0; v < width / 16; v++) {
    __m256 low[8], high[8];
    for (int r = 0; r < CONV_MR; r++) {
      low[r] = _mm256_loadu_ps(tile + r * CONV_NR + 16 * v);
      high[r] = _mm256_loadu_ps(tile + r * CONV_NR + 16 * v + 8);
    }
    transpose8(low);
    transpose8(high);
    store_columns(low, 16 * v, st);
    store_columns(high, 16 * v + 8, st);
  }
}

// Accumulates one tile: CONV_MR positions × (16·NV) channels over the whole depth, stored to
// `tile` (row stride CONV_NR). The depth is summed in blocks of CONV_KB, each block in fresh
// registers and then added to the tile, which bounds the rounding error of deep layers like a
// blocked GEMM's rather than one 4,608-term chain's.
#define CONV_KB 256
#define DEFINE_MICRO(NV)                                                                       \
  static inline void conv_micro_##NV(long depth, const float *restrict input,                 \
                                     const long *restrict rows,                               \
                                     const long *restrict depth_offsets,                      \
                                     const float *restrict w, float *restrict tile) {         \
    const float *base[CONV_MR];                                                                \
    _Pragma("clang loop unroll(full)") for (int r = 0; r < CONV_MR; r++) base[r] =            \
      input + rows[r];                                                                         \
    for (long k0 = 0; k0 < depth || k0 == 0; k0 += CONV_KB) {                                  \
      long k1 = depth - k0 < CONV_KB ? depth : k0 + CONV_KB;                                   \
      __m512 c[CONV_MR][NV];                                                                   \
      _Pragma("clang loop unroll(full)") for (int r = 0; r < CONV_MR; r++)                    \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) c[r][v] =             \
          _mm512_setzero_ps();                                                                 \
      for (long k = k0; k < k1; k++) {                                                         \
        __m512 wv[NV];                                                                         \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) wv[v] =               \
          _mm512_loadu_ps(w + 16 * v);                                                         \
        long offset = depth_offsets[k];                                                        \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < CONV_MR; r++) {                \
          __m512 value = _mm512_set1_ps(base[r][offset]);                                      \
          _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) c[r][v] =           \
            _mm512_fmadd_ps(value, wv[v], c[r][v]);                                            \
        }                                                                                      \
        w += 16 * NV;                                                                          \
      }                                                                                        \
      _Pragma("clang loop unroll(full)") for (int r = 0; r < CONV_MR; r++)                    \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) {                     \
          float *at = tile + r * CONV_NR + 16 * v;                                             \
          _mm512_storeu_ps(at, k0 == 0 ? c[r][v] : _mm512_add_ps(_mm512_loadu_ps(at), c[r][v])); \
        }                                                                                      \
      if (depth == 0) break;                                                                   \
    }                                                                                          \
  }

DEFINE_MICRO(1)
DEFINE_MICRO(2)
DEFINE_MICRO(3)

// 16 consecutive input offsets (positions along one output row, stride 1) × 16 channels: 16
// accumulators, all broadcasts from one base pointer. Narrow layers (16 output channels)
// would otherwise wait on the latency of 8 accumulator chains.
#define CONV_ROW 16
static inline void conv_micro_row(long depth, const float *restrict base,
                                  const long *restrict depth_offsets, const float *restrict w,
                                  float *restrict tile) {
  __m512 c[CONV_ROW];
#pragma clang loop unroll(full)
  for (int r = 0; r < CONV_ROW; r++) c[r] = _mm512_setzero_ps();
  for (long k = 0; k < depth; k++) {
    __m512 weights = _mm512_loadu_ps(w);
    const float *at = base + depth_offsets[k];
#pragma clang loop unroll(full)
    for (int r = 0; r < CONV_ROW; r++) {
      c[r] = _mm512_fmadd_ps(_mm512_set1_ps(at[r]), weights, c[r]);
    }
    w += 16;
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < CONV_ROW; r++) _mm512_storeu_ps(tile + r * CONV_NR, c[r]);
}

static inline int consecutive(const long *rows, long count) {
  for (long r = 1; r < count; r++) {
    if (rows[r] != rows[0] + r) return 0;
  }
  return 1;
}

// Writes `channels` channels of a tile of `used` positions with the epilogue. Positions
// consecutive in the output (one image) go out a vector per channel: whole groups of 8
// transposed in registers, other runs as masked gathers; the rest element by element.
static inline void store_tile(const float *tile, long used, const long *targets, long first_channel,
                              long channels, long positions, const float *bias,
                              const float *addend, int relu, float *output) {
  int consecutive_outputs = targets[used - 1] - targets[0] == used - 1;
  if (consecutive_outputs && used % CONV_MR == 0) {
    long width = (channels + 15) / 16 * 16;  // the vectors the block's channels fill
    for (long h = 0; h < used; h += CONV_MR) {
      conv_store part = {output + targets[h], addend ? addend + targets[h] : NULL,
                         bias, positions, first_channel, channels, relu};
      store_transposed(tile + h * CONV_NR, width, &part);
    }
    return;
  }
  if (consecutive_outputs) {
    __mmask16 mask = (__mmask16)((1u << used) - 1);
    __m512i index = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5,
                                                        4, 3, 2, 1, 0),
                                       _mm512_set1_epi32(CONV_NR));
    __m512 zero = _mm512_setzero_ps();
    for (long c = 0; c < channels; c++) {
      long channel = first_channel + c;
      __m512 value = _mm512_mask_i32gather_ps(zero, mask, index, tile + c, 4);
      if (bias) value = _mm512_add_ps(value, _mm512_set1_ps(bias[channel]));
      long at = targets[0] + channel * positions;
      if (addend) value = _mm512_add_ps(value, _mm512_maskz_loadu_ps(mask, addend + at));
      if (relu) value = _mm512_max_ps(value, zero);
      _mm512_mask_storeu_ps(output + at, mask, value);
    }
    return;
  }
  for (long c = 0; c < channels; c++) {
    long channel = first_channel + c;
    float shift = bias ? bias[channel] : 0;
    for (long r = 0; r < used; r++) {
      long at = targets[r] + channel * positions;
      float value = tile[r * CONV_NR + c] + shift;
      if (addend) value += addend[at];
      if (relu && !(value > 0)) value = 0;
      output[at] = value;
    }
  }
}

// The offset of every depth index k = (c, i, j) from a window's first input value, for planes
// `plane` floats apart with rows `row_stride` apart (malloc'ed; the caller frees it).
static long *offsets_by_depth(const semrob_conv_shape *s, long plane, long row_stride) {
  long depth = s->channels * s->kernel_h * s->kernel_w;
  long *offsets = malloc(sizeof(long) * (size_t)(depth > 0 ? depth : 1));
  long k = 0;
  for (long c = 0; c < s->channels; c++)
    for (long i = 0; i < s->kernel_h; i++)
      for (long j = 0; j < s->kernel_w; j++)
        offsets[k++] = c * plane + i * s->dilation_h * row_stride + j * s->dilation_w;
  return offsets;
}

// The zero-padded input rows one block of output rows reads: `channels` planes of height ×
// (width + 2·pad_w) floats. The padding columns are zeroed when the band is made and never
// written again, and `zero[r]` records whether row r holds zeros, so a block copies only the
// image's values and zeroes only rows that held values before (small planes are one block per
// image, and rewriting every padding value per block cost as much as the copy).
typedef struct {
  float *data;
  long height;
  unsigned char *zero;
} conv_band;

// A band of `height` rows per channel plus `slack` floats after the last plane.
static conv_band band_make(const semrob_conv_shape *s, long height, long slack) {
  long padded_width = s->width + 2 * s->pad_w;
  conv_band band = {malloc(sizeof(float) * (size_t)(s->channels * height * padded_width + slack)),
                    height, malloc((size_t)height)};
  for (long r = 0; r < height; r++) band.zero[r] = 0;
  for (long c = 0; c < s->channels; c++) {
    for (long r = 0; r < height; r++) {
      float *row = band.data + (c * height + r) * padded_width;
      for (long x = 0; x < s->pad_w; x++) row[x] = row[s->pad_w + s->width + x] = 0;
    }
  }
  for (long x = 0; x < slack; x++) band.data[s->channels * height * padded_width + x] = 0;
  return band;
}

static void band_free(conv_band *band) {
  free(band->data);
  free(band->zero);
}

// Copies `count` floats (whole vectors and a masked tail), or stores zeros when `from` is NULL.
static inline void copy_floats(float *to, const float *from, long count) {
  long whole = count / 16 * 16;
  __mmask16 tail = (__mmask16)((1u << (count - whole)) - 1);
  if (!from) {
    for (long x = 0; x < whole; x += 16) _mm512_storeu_ps(to + x, _mm512_setzero_ps());
    if (tail) _mm512_mask_storeu_ps(to + whole, tail, _mm512_setzero_ps());
    return;
  }
  for (long x = 0; x < whole; x += 16) _mm512_storeu_ps(to + x, _mm512_loadu_ps(from + x));
  if (tail) _mm512_mask_storeu_ps(to + whole, tail, _mm512_maskz_loadu_ps(tail, from + whole));
}

// Fills `band` with the input rows the output rows [first_row, last_row] of image `n` read.
// Without padding columns the band's rows run on like the plane's, so each channel's rows
// inside the plane are one copy (8-column planes: one vector per two rows, not a loop per row).
static void fill_band(const semrob_conv_shape *s, const float *input, long n, long first_row,
                      long last_row, conv_band *band) {
  long padded_width = s->width + 2 * s->pad_w;
  long rows = (last_row - first_row) * s->stride_h + (s->kernel_h - 1) * s->dilation_h + 1;
  // Band row r holds input row y0 + r; rows [inside_first, inside_end) lie inside the plane.
  long y0 = first_row * s->stride_h - s->pad_h;
  long inside_first = y0 < 0 ? -y0 : 0;
  long inside_end = s->height - y0 < rows ? s->height - y0 : rows;
  if (inside_end < inside_first) inside_end = inside_first;
  for (long r = 0; r < rows; r++) {
    int inside = r >= inside_first && r < inside_end;
    if (!inside && !band->zero[r]) {
      for (long c = 0; c < s->channels; c++) {
        copy_floats(band->data + (c * band->height + r) * padded_width + s->pad_w, NULL,
                    s->width);
      }
    }
    band->zero[r] = !inside;
  }
  if (inside_end == inside_first) return;
  for (long c = 0; c < s->channels; c++) {
    // Band column x holds input column x − pad_w.
    const float *from = input + ((n * s->channels + c) * s->height + y0 + inside_first) * s->width;
    float *to = band->data + (c * band->height + inside_first) * padded_width + s->pad_w;
    if (s->pad_w == 0) {
      copy_floats(to, from, (inside_end - inside_first) * s->width);
      continue;
    }
    for (long r = 0; r < inside_end - inside_first; r++) {
      copy_floats(to + r * padded_width, from + r * s->width, s->width);
    }
  }
}

void semrob_conv_run(const semrob_conv_shape *s, const float *input, const float *packed,
                     long first, long count, long first_block, long block_count,
                     const float *bias, const float *addend, int relu, float *output) {
  if (count <= 0 || block_count <= 0) return;
  long depth = s->channels * s->kernel_h * s->kernel_w;
  long positions = s->out_h * s->out_w;
  // Padded layers read from a band: the rows one block of positions needs, padded, in a small
  // buffer that stays in cache (no padded copy of the whole input goes through memory).
  int banded = s->pad_h > 0 || s->pad_w > 0;
  long padded_width = s->width + 2 * s->pad_w;
  long block_rows = (CONV_POSITIONS - 1) / s->out_w + 2;
  if (block_rows > s->out_h) block_rows = s->out_h;
  long band_height = (block_rows - 1) * s->stride_h + (s->kernel_h - 1) * s->dilation_h + 1;
  long row_stride = banded ? padded_width : s->width;
  long plane = banded ? band_height * padded_width : s->height * s->width;
  long image = s->channels * plane;
  conv_band band = banded ? band_make(s, band_height, 0) : (conv_band){NULL, 0, NULL};
  const float *source = banded ? band.data : input;
  long *depth_offsets = offsets_by_depth(s, plane, row_stride);
  long rows[CONV_POSITIONS], targets[CONV_POSITIONS];
  float tile[CONV_ROW * CONV_NR] __attribute__((aligned(64)));
  for (long start = first; start < first + count;) {
    // A block: up to CONV_POSITIONS positions of one image.
    long n = start / positions, image_end = (n + 1) * positions;
    long span = first + count - start < CONV_POSITIONS ? first + count - start : CONV_POSITIONS;
    if (start + span > image_end) span = image_end - start;
    long first_row = (start % positions) / s->out_w;
    if (banded) {
      long last_row = ((start + span - 1) % positions) / s->out_w;
      fill_band(s, input, n, first_row, last_row, &band);
    }
    for (long p = 0; p < span; p++) {
      long within = (start + p) % positions;
      long oh = within / s->out_w, ow = within % s->out_w;
      rows[p] = banded ? (oh - first_row) * s->stride_h * row_stride + ow * s->stride_w
                       : n * image + oh * s->stride_h * row_stride + ow * s->stride_w;
      targets[p] = n * s->out_channels * positions + within;
    }
    // A partial last tile repeats its last position (read, never stored).
    long padded = (span + CONV_MR - 1) / CONV_MR * CONV_MR;
    for (long p = span; p < padded; p++) rows[p] = rows[span - 1];
    for (long b = first_block; b < first_block + block_count; b++) {
      long channel_start, width;
      channel_block(s->out_channels, b, &channel_start, &width);
      const float *w = packed + channel_start * depth;
      long channels = s->out_channels - channel_start < width ? s->out_channels - channel_start
                                                              : width;
      for (long t = 0; t < span; t += CONV_MR) {
        if (width == 16 && span - t >= CONV_ROW && consecutive(rows + t, CONV_ROW)) {
          conv_micro_row(depth, source + rows[t], depth_offsets, w, tile);
          store_tile(tile, CONV_ROW, targets + t, channel_start, channels, positions, bias,
                     addend, relu, output);
          t += CONV_ROW - CONV_MR;
          continue;
        }
        long used = span - t < CONV_MR ? span - t : CONV_MR;
        if (width == 48) {
          conv_micro_3(depth, source, rows + t, depth_offsets, w, tile);
        } else if (width == 32) {
          conv_micro_2(depth, source, rows + t, depth_offsets, w, tile);
        } else {
          conv_micro_1(depth, source, rows + t, depth_offsets, w, tile);
        }
        store_tile(tile, used, targets + t, channel_start, channels, positions, bias, addend,
                   relu, output);
      }
    }
    start += span;
  }
  free(depth_offsets);
  band_free(&band);
}

// ---------------------------------------------------------------------------------------
// Convolutions along output rows (horizontal stride 1 or 2): tiles of 8 output channels
// (weights broadcast) × up to 3 vectors of output positions, input read as vectors from a
// padded band of the rows those outputs need. Each output row is cut into vectors of 16
// positions (the last masked when the row is not a whole number of vectors), and a block's
// vectors are dealt into tiles of 3 in order, so a tile may span rows: 32-column rows make
// 24-accumulator tiles, not 16, and 8-row blocks of 16 columns tiles of 3 rows. Stores are
// contiguous runs of the NCHW output, with no transposition; one 8-channel panel finishes a
// block before the next starts, so its stores stay in 8 planes (all 64 planes of a
// 224 × 224 layer in turn cost it a third of its speed).

// Vector v reads from base + depth offset + offsets[v]. S is the horizontal stride: at stride
// 1 vector v loads under masks[v]; stride 2 takes the even lanes of two loads with one
// permutation. S = 0 is a folded tile (8-column planes at stride 1, "same" padding: each
// vector two output rows, read from a band without padding columns), whose lanes that would
// read padding are masked off per depth index k by tap_masks[k].
#define DEFINE_ROW_MICRO(NV, S)                                                                \
  static inline void row_micro_##NV##_s##S(                                                    \
      long depth, const float *restrict base, const long *restrict depth_offsets,              \
      const __mmask16 *restrict tap_masks, const float *restrict w,                            \
      const long *restrict offsets, const __mmask16 *restrict masks, __m512 *acc) {            \
    const __m512i evens =                                                                      \
        _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);           \
    long o[NV];                                                                                \
    __mmask16 m[NV];                                                                           \
    __m512 c[ROWS_MR][NV];                                                                     \
    _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) {                         \
      o[v] = offsets[v];                                                                       \
      m[v] = masks[v];                                                                         \
    }                                                                                          \
    _Pragma("clang loop unroll(full)") for (int r = 0; r < ROWS_MR; r++)                      \
      _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) c[r][v] =               \
        _mm512_setzero_ps();                                                                   \
    for (long k = 0; k < depth; k++) {                                                         \
      const float *at = base + depth_offsets[k];                                               \
      __m512 x[NV];                                                                            \
      _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) {                       \
        if (S == 0) {                                                                          \
          x[v] = _mm512_maskz_loadu_ps(tap_masks[k], at + o[v]);                               \
        } else if (S == 1) {                                                                   \
          x[v] = _mm512_maskz_loadu_ps(m[v], at + o[v]);                                       \
        } else {                                                                               \
          x[v] = _mm512_permutex2var_ps(_mm512_loadu_ps(at + o[v]), evens,                     \
                                        _mm512_loadu_ps(at + o[v] + 16));                      \
        }                                                                                      \
      }                                                                                        \
      _Pragma("clang loop unroll(full)") for (int r = 0; r < ROWS_MR; r++) {                  \
        __m512 weight = _mm512_set1_ps(w[r]);                                                  \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) c[r][v] =             \
          _mm512_fmadd_ps(weight, x[v], c[r][v]);                                              \
      }                                                                                        \
      w += ROWS_MR;                                                                            \
    }                                                                                          \
    _Pragma("clang loop unroll(full)") for (int r = 0; r < ROWS_MR; r++)                      \
      _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; v++) acc[r * 3 + v] =        \
        c[r][v];                                                                               \
  }

DEFINE_ROW_MICRO(1, 0)
DEFINE_ROW_MICRO(2, 0)
DEFINE_ROW_MICRO(3, 0)
DEFINE_ROW_MICRO(1, 1)
DEFINE_ROW_MICRO(2, 1)
DEFINE_ROW_MICRO(3, 1)
DEFINE_ROW_MICRO(1, 2)
DEFINE_ROW_MICRO(2, 2)
DEFINE_ROW_MICRO(3, 2)

typedef void (*row_micro)(long, const float *restrict, const long *restrict,
                          const __mmask16 *restrict, const float *restrict,
                          const long *restrict, const __mmask16 *restrict, __m512 *);

// By S (0 folded, 1 and 2 the horizontal stride), then vectors per tile.
static const row_micro row_micros[3][3] = {{row_micro_1_s0, row_micro_2_s0, row_micro_3_s0},
                                           {row_micro_1_s1, row_micro_2_s1, row_micro_3_s1},
                                           {row_micro_1_s2, row_micro_2_s2, row_micro_3_s2}};

// Output rows per band fill: the band holds their input rows once (kernel_h rows per output
// row copied again for every output row made the copy a third of a shallow layer's time).
#define ROWS_BLOCK 8

// The next block of the output rows [row, end) (numbered across images): up to ROWS_BLOCK rows
// of image *n from its row *first_oh; returns the block's row count.
static inline long rows_block(const semrob_conv_shape *s, long row, long end, long *n,
                              long *first_oh) {
  *n = row / s->out_h;
  *first_oh = row % s->out_h;
  long block = end - row;
  if (block > ROWS_BLOCK) block = ROWS_BLOCK;
  if (block > s->out_h - *first_oh) block = s->out_h - *first_oh;
  return block;
}

// The real output channels of 8-channel panel p.
static inline long panel_channels(const semrob_conv_shape *s, long p) {
  return s->out_channels - p * ROWS_MR < ROWS_MR ? s->out_channels - p * ROWS_MR : ROWS_MR;
}

// Output channels `first_channel` … of one tile with the epilogue: `vectors` vectors of
// `acc` (ROWS_MR × 3), vector v stored at output + at(channel) + offsets[v] under masks[v].
static inline void rows_store(const __m512 *acc, long channels, long first_channel, long at,
                              long plane, int vectors, const long *offsets,
                              const __mmask16 *masks, const float *bias, const float *addend,
                              int relu, float *output) {
  __m512 zero = _mm512_setzero_ps();
  for (long c = 0; c < channels; c++) {
    long channel = first_channel + c;
    long base = at + channel * plane;
    __m512 shift = _mm512_set1_ps(bias ? bias[channel] : 0);
    for (int v = 0; v < vectors; v++) {
      __m512 value = _mm512_add_ps(acc[c * 3 + v], shift);
      if (addend) {
        value = _mm512_add_ps(value, _mm512_maskz_loadu_ps(masks[v], addend + base + offsets[v]));
      }
      if (relu) value = _mm512_max_ps(value, zero);
      _mm512_mask_storeu_ps(output + base + offsets[v], masks[v], value);
    }
  }
}

// The folded mode of semrob_conv_rows_run: 8-column planes at stride 1 whose input is as wide
// as the output; blocks of up to ROWS_BLOCK rows, tiles of up to 3 vectors (6 rows), an odd
// last row stored as a half vector.
static void conv_fold_run(const semrob_conv_shape *s, const float *input, const float *packed,
                          long first_row, long row_count, const float *bias,
                          const float *addend, int relu, float *output) {
  semrob_conv_shape unpadded = *s;
  unpadded.pad_w = 0;
  long depth = s->channels * s->kernel_h * s->kernel_w;
  long positions = s->out_h * s->out_w;
  // One row more than a block needs: an odd block's last vector reads it (and never stores it).
  long band_height = ROWS_BLOCK + 1 + (s->kernel_h - 1) * s->dilation_h;
  long plane = band_height * s->width;
  conv_band band = band_make(&unpadded, band_height, 48);
  long *depth_offsets = offsets_by_depth(&unpadded, plane, s->width);
  __mmask16 *masks = malloc(sizeof(__mmask16) * (size_t)(depth > 0 ? depth : 1));
  for (long k = 0; k < depth; k++) {
    // The tap's column shift dx: lane l (column l % 8) reads column l % 8 + dx (the offsets
    // already hold the tap's column, not the padding).
    long dx = (k % s->kernel_w) * s->dilation_w - s->pad_w;
    depth_offsets[k] -= s->pad_w;
    unsigned mask = 0;
    for (int lane = 0; lane < 16; lane++) {
      long x = lane % 8 + dx;
      if (x >= 0 && x < 8) mask |= 1u << lane;
    }
    masks[k] = (__mmask16)mask;
  }
  long panels = (s->out_channels + ROWS_MR - 1) / ROWS_MR;
  __m512 acc[ROWS_MR * 3];
  for (long row = first_row; row < first_row + row_count;) {
    long n, first_oh;
    long block = rows_block(s, row, first_row + row_count, &n, &first_oh);
    fill_band(&unpadded, input, n, first_oh, first_oh + block - 1, &band);
    // Vectors of two rows, in as few tiles of at most 3 as possible, evenly (4 as 2 + 2).
    long vectors = (block + 1) / 2;
    long tiles = (vectors + 2) / 3;
    long per_tile = (vectors + tiles - 1) / tiles;
    for (long v0 = 0; v0 < vectors; v0 += per_tile) {
      int count = (int)(vectors - v0 < per_tile ? vectors - v0 : per_tile);
      static const long offsets[3] = {0, 16, 32};
      __mmask16 stores[3] = {0xffff, 0xffff, 0xffff};
      if (v0 + count == vectors && block % 2) stores[count - 1] = 0x00ff;
      long at = n * s->out_channels * positions + (first_oh + 2 * v0) * s->out_w;
      for (long p = 0; p < panels; p++) {
        row_micros[0][count - 1](depth, band.data + 16 * v0, depth_offsets, masks,
                                 packed + p * ROWS_MR * depth, offsets, stores, acc);
        rows_store(acc, panel_channels(s, p), p * ROWS_MR, at, positions, count, offsets,
                   stores, bias, addend, relu, output);
      }
    }
    row += block;
  }
  free(masks);
  free(depth_offsets);
  band_free(&band);
}

void semrob_conv_rows_run(const semrob_conv_shape *s, const float *input, const float *packed,
                          long first_row, long row_count, const float *bias,
                          const float *addend, int relu, float *output) {
  if (row_count <= 0) return;
  if (s->out_w == 8 && s->width == 8 && s->stride_h == 1 && s->stride_w == 1) {
    conv_fold_run(s, input, packed, first_row, row_count, bias, addend, relu, output);
    return;
  }
  long depth = s->channels * s->kernel_h * s->kernel_w;
  long positions = s->out_h * s->out_w;
  long padded_width = s->width + 2 * s->pad_w;
  long band_height = (ROWS_BLOCK - 1) * s->stride_h + (s->kernel_h - 1) * s->dilation_h + 1;
  long plane = band_height * padded_width;
  // Slack after the last row: stride 1 reads masked vectors (16 floats keep every address in
  // bounds); stride 2 reads whole vector pairs whose lanes past the row feed only outputs that
  // are never stored (up to 32 floats past the last row; 48 allocated).
  conv_band band = band_make(s, band_height, 48);
  long *depth_offsets = offsets_by_depth(s, plane, padded_width);
  long panels = (s->out_channels + ROWS_MR - 1) / ROWS_MR;
  // A block's output positions as vectors of up to 16 along each row (the last of a row
  // masked): where each reads in the band and writes in the output plane, and its lanes.
  long per_row = (s->out_w + 15) / 16;
  long *reads = malloc(sizeof(long) * (size_t)(ROWS_BLOCK * per_row));
  long *writes = malloc(sizeof(long) * (size_t)(ROWS_BLOCK * per_row));
  __mmask16 *lanes = malloc(sizeof(__mmask16) * (size_t)(ROWS_BLOCK * per_row));
  for (long r = 0; r < ROWS_BLOCK; r++) {
    for (long v = 0; v < per_row; v++) {
      long column = 16 * v, count = s->out_w - column < 16 ? s->out_w - column : 16;
      reads[r * per_row + v] = r * s->stride_h * padded_width + column * s->stride_w;
      writes[r * per_row + v] = r * s->out_w + column;
      lanes[r * per_row + v] = (__mmask16)(count == 16 ? 0xffff : (1u << count) - 1);
    }
  }
  __m512 acc[ROWS_MR * 3];
  for (long row = first_row; row < first_row + row_count;) {
    long n, first_oh;
    long block = rows_block(s, row, first_row + row_count, &n, &first_oh);
    fill_band(s, input, n, first_oh, first_oh + block - 1, &band);
    // The block's vectors in as few tiles of at most 3 as possible, evenly (16 as 3+3+3+3+2+2);
    // a tile's vectors may lie on consecutive rows.
    long vectors = block * per_row, tiles = (vectors + 2) / 3;
    long at = n * s->out_channels * positions + first_oh * s->out_w;
    for (long p = 0; p < panels; p++) {
      for (long t = 0, v0 = 0; t < tiles; t++) {
        int count = (int)((vectors - v0 + tiles - t - 1) / (tiles - t));
        row_micros[s->stride_w][count - 1](depth, band.data, depth_offsets, NULL,
                                           packed + p * ROWS_MR * depth, reads + v0, lanes + v0,
                                           acc);
        rows_store(acc, panel_channels(s, p), p * ROWS_MR, at, positions, count, writes + v0,
                   lanes + v0, bias, addend, relu, output);
        v0 += count;
      }
    }
    row += block;
  }
  free(lanes);
  free(writes);
  free(reads);
  free(depth_offsets);
  band_free(&band);
}

#pragma clang attribute pop

#else

void semrob_conv_rows_run(const semrob_conv_shape *s, const float *input, const float *packed,
                          long first_row, long row_count, const float *bias,
                          const float *addend, int relu, float *output) {
  abort();
}

void semrob_conv_run(const semrob_conv_shape *s, const float *input, const float *packed,
                     long first, long count, long first_block, long block_count,
                     const float *bias, const float *addend, int relu, float *output) {
  abort();
}

#endif
