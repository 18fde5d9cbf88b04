#ifndef QUANTBENCH_CBLAS_SHIM_H
#define QUANTBENCH_CBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
