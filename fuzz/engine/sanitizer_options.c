/*
 * The sanitizer runtime's defaults for every fuzz target binary, whatever
 * its engine. An option given in ASAN_OPTIONS (by afl-fuzz, OSS-Fuzz, a
 * user) still wins over these.
 *
 * quarantine_size_mb: freed memory ASan holds back, poisoned, before it
 * reuses it, so that a use after free lands on a poisoned chunk. An input
 * frees what it made (the model, its bindings, the host objects) by the
 * time it ends (pf_world_teardown), well under a megabyte of it: 16 MB keeps
 * every chunk an input frees poisoned for that input and hundreds after it.
 * The default, 256 MB, keeps so much memory cycling through the allocator
 * (a process of ~440 MB instead of ~100 MB) that its page faults and cache
 * misses took a quarter of fuzz_pasid_cache's CPU time.
 */
const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
    return "quarantine_size_mb=16";
}
