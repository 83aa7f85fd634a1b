/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A seeded xorshift64* generator: property tests stay deterministic. */
#ifndef LOCKTRACE_TEST_RNG_H
#define LOCKTRACE_TEST_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

#endif /* LOCKTRACE_TEST_RNG_H */
