// The tools whose speed `make bench` measures (correlate, lognorm) allocate
// through mimalloc with 2 MiB pages instead of glibc's malloc.
//
// Loading rules builds hundreds of thousands of small nodes (yaml-cpp makes
// several blocks a node) and frees most of them again, and correlation
// windows hold many small strings; glibc's malloc and free took about 40%
// of the instructions of loading the 100 threshold rules of `make bench`. Worse, on a virtual
// machine a page fault costs microseconds, and a fresh heap of 4 KiB pages
// faults once a page. mimalloc's free lists are cheaper, and with
// large_os_pages it asks for transparent huge pages (2 MiB, one fault each)
// for every segment it maps. Measured on `make bench` inputs: the whole run
// with the 100 threshold rules -12% CPU, loading the SigmaHQ set -40%,
// lognorm -4%; the resident size grows by a few MiB (2 MiB granules).
//
// mimalloc reads its options when it starts, before main() and before the
// libraries' own initialisers allocate, so the option is set from the
// executable's .preinit_array, which runs before any of them. A
// MIMALLOC_LARGE_OS_PAGES in the environment still decides (mimalloc reads
// it when the option is left unset).
#include <cstdlib>

#include <mimalloc.h>

namespace {

void before_libraries(int, char**, char**) {
  if (std::getenv("MIMALLOC_LARGE_OS_PAGES") == nullptr) mi_option_enable(mi_option_large_os_pages);
}

__attribute__((section(".preinit_array"), used)) void (*const preinit_entry)(int, char**, char**) =
    before_libraries;

}  // namespace
