#pragma once
// The fuzz targets' invariant check: a broken invariant prints what broke and aborts, which
// libFuzzer reports as a crash and saves the input (crash-<sha1>) like any other.

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)
