// OpenBLAS CBLAS interface (and openblas_set_num_threads). Never name this file cblas.h.
#include <cblas.h>
