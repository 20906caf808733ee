// Force-included: faiss < 1.7.4 (Debian's 1.7.3) only has faiss::Index::idx_t,
// faiss-node uses faiss::idx_t.
#pragma once
#include <faiss/Index.h>
#if FAISS_VERSION_MAJOR == 1 && (FAISS_VERSION_MINOR < 7 || (FAISS_VERSION_MINOR == 7 && FAISS_VERSION_PATCH < 4))
namespace faiss { using idx_t = Index::idx_t; }
#endif
