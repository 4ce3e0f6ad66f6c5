// semrob's own single-precision matrix-multiply kernels (packed, cache-blocked, with a fused
// epilogue), selected at run time by the CPU's instruction set. Imported only by Tensors.
//
// Conventions: row-major matrices; C (m×n) = alpha·A·B + beta·C, then + bias[row] +
// addend, then max(·, 0) when relu is set. A is packed once (semrob_gemm_pack_a) and reused;
// B is packed inside semrob_gemm_run into the caller's workspace. One call is single-threaded.
#ifndef SEMROB_CKERNELS_H
#define SEMROB_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Instruction sets with a kernel: 0 none (use BLAS), 2 AVX-512F (with AVX2 and FMA). CPUs
/// with AVX2 only are served well by OpenBLAS's own kernels.
enum { SEMROB_ISA_NONE = 0, SEMROB_ISA_AVX512 = 2 };

/// The best instruction set this CPU and operating system support.
int semrob_gemm_best_isa(void);

/// Floats needed to hold A (m×k) packed for `isa`.
size_t semrob_gemm_packed_a_count(int isa, long m, long k);

/// Packs A (m×k; element (i, p) at a[i·lda + p], or a[p·lda + i] when transposed).
void semrob_gemm_pack_a(int isa, int transposed, long m, long k, const float *a, long lda,
                        float *packed);

/// Floats of workspace semrob_gemm_run needs for n columns and depth k.
size_t semrob_gemm_workspace_count(int isa, long n, long k);

/// How columns map to memory when B and C are image blocks side by side (a batch of NCHW
/// planes): column j lies in image j / columns_per_image at offset j % columns_per_image,
/// image i starting i·image_stride_b floats after b (i·image_stride_c after c and addend).
/// columns_per_image = 0 means plain matrices.
typedef struct {
  long columns_per_image;
  long image_stride_b;
  long image_stride_c;
} semrob_gemm_columns;

/// The epilogue applied after the last depth block: bias per row (or NULL), an addend laid out
/// like C (or NULL), ReLU when relu != 0.
typedef struct {
  const float *bias;
  const float *addend;
  int relu;
} semrob_gemm_epilogue;

/// C ← epilogue(alpha·A·B + beta·C) for rows [first_row, first_row + m) of A, packed by
/// semrob_gemm_pack_a for the same isa with packed_rows rows and depth k (first_row a multiple
/// of 8); c, the bias and the addend point at the first of those rows. B is k×n (element
/// (p, j) at b[p·ldb + j], or b[j·ldb + p] when transposed; the column map applies to
/// untransposed B only). With beta = 0, C is never read.
void semrob_gemm_run(int isa, long packed_rows, long first_row, long m, long n, long k,
                     float alpha, const float *packed_a, int transposed_b, const float *b,
                     long ldb, float beta, float *c, long ldc, const semrob_gemm_columns *columns,
                     const semrob_gemm_epilogue *epilogue, float *workspace);

/// A convolution over NCHW input for the direct kernel: each image of the input holds
/// channels × height × width floats; pad_h and pad_w zeros surround every plane (the kernel
/// pads the rows it needs itself).
typedef struct {
  long channels, height, width;
  long kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w;
  long pad_h, pad_w;
  long out_h, out_w, out_channels;
} semrob_conv_shape;

/// The number of output-channel blocks (16, 32 or 48 channels each) semrob_conv_run works in.
long semrob_conv_channel_blocks(long out_channels);

/// Floats needed for the packed weights of semrob_conv_run (about out_channels rounded up to
/// 16, times depth = channels · kernel_h · kernel_w).
size_t semrob_conv_packed_weights_count(long out_channels, long depth);

/// Packs weights [out_channels][depth] (PyTorch's OIHW flattened) for semrob_conv_run.
void semrob_conv_pack_weights(long out_channels, long depth, const float *weights,
                              float *packed);

/// Direct convolution (AVX-512F only): output positions [first, first + count) of the
/// flattened images × out_h × out_w and output-channel blocks [first_block, first_block +
/// block_count), written to NCHW output with the bias (or NULL), an addend laid out like the
/// output (or NULL) and ReLU fused. Reads input values as broadcasts straight from the planes
/// (for padded layers, from a padded copy of just the rows a block of positions needs); no
/// im2col buffer.
void semrob_conv_run(const semrob_conv_shape *shape, const float *input, const float *packed,
                     long first, long count, long first_block, long block_count,
                     const float *bias, const float *addend, int relu, float *output);

/// Max pooling of `planes` planes (height × width) over kernel_h × kernel_w windows (dilation
/// 1) taken every stride and starting pad before the plane; taps outside the plane count as
/// −∞ (PyTorch's padding and ceil-mode clipping). Returns 0, with the output unspecified, if
/// any input read is NaN (the caller then uses its exact NaN-propagating path); 1 otherwise.
/// With indices (else NULL), also each output's argmax as an offset within its input plane:
/// the first tap in row-major window order holding the maximum (−1 for a window without taps).
int semrob_max_pool(const float *input, long planes, long height, long width, long kernel_h,
                    long kernel_w, long stride_h, long stride_w, long pad_h, long pad_w,
                    long out_h, long out_w, float *output, int32_t *indices);

/// Window averages over planes (height × width) with pad_h, pad_w zeros around each:
/// output[p][y][x] = (Σ padded[p][y·stride_h + i][x·stride_w + j] over i < kernel_h,
/// j < kernel_w, summed in that order from 0) / divisors[y·out_w + x]; every window must lie
/// inside the padded plane.
void semrob_box_average(const float *input, long planes, long height, long width,
                        long kernel_h, long kernel_w, long stride_h, long stride_w, long pad_h,
                        long pad_w, long out_h, long out_w, const float *divisors,
                        float *output);

/// Floats needed for the packed weights of semrob_conv_rows_run (out_channels rounded up to
/// 8, times depth).
size_t semrob_conv_rows_packed_count(long out_channels, long depth);

/// Packs weights [out_channels][depth] (OIHW flattened) in panels of 8 output channels for
/// semrob_conv_rows_run.
void semrob_conv_rows_pack(long out_channels, long depth, const float *weights, float *packed);

/// Convolution along output rows (AVX-512F only; horizontal stride 1 or 2, any vertical
/// stride): output rows [first_row, first_row + row_count) of the flattened images × out_h,
/// every output channel, written to NCHW output with the bias (or NULL), an addend laid out
/// like the output (or NULL) and ReLU fused. Tiles of 8 channels × 3 vectors of 16 output
/// positions (consecutive along rows, possibly across rows); stores are contiguous.
void semrob_conv_rows_run(const semrob_conv_shape *shape, const float *input,
                          const float *packed, long first_row, long row_count,
                          const float *bias, const float *addend, int relu, float *output);

/// result[i] = output[i] > 0 ? gradient[i] : 0 (the backward pass of a ReLU; NaN outputs
/// mask). result may alias gradient.
void semrob_relu_mask(const float *gradient, const float *output, long count, float *result);

/// result[i] = a[i] + b[i], then max(·, 0) when relu is set. result may alias a or b.
void semrob_add(const float *a, const float *b, long count, int relu, float *result);

/// Runs body(context, i) for every i in [0, count): index 0 on the calling thread, the others
/// on persistent pool threads (started on first use; they poll for new work for half a
/// millisecond after each job, then sleep). Returns after every index has finished, or returns
/// 0 at once without running anything when the pool is busy (a nested or concurrent call) or
/// unavailable on this system; the caller then runs the loop another way.
int semrob_workers_run(long count, void (*body)(void *context, long index), void *context);

#endif
