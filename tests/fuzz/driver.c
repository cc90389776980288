/*
 * libFuzzer entry point; SG_FUZZ_TARGET names the target (targets.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sg_fuzz_init();
	return SG_FUZZ_TARGET(data, size);
}
