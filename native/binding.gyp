{
  # Builds faiss-node's src/faiss.cc, patched by native/build.mjs into
  # build/src/, against the system's static libfaiss (Debian: libfaiss-dev).
  "targets": [
    {
      "target_name": "faiss_node",
      "sources": ["build/src/faiss.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      # node-gyp defaults to -fno-exceptions -fno-rtti; faiss needs both features.
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": [
        "-std=c++17",
        "-fexceptions",
        "-frtti",
        "-fopenmp",
        "-include", "<(module_root_dir)/compat/faiss_idx_t.h"
      ],
      "libraries": ["-l:libfaiss.a", "-lopenblas", "-fopenmp"],
      # Keep libfaiss.a's symbols private to this module.
      "ldflags": ["-Wl,--exclude-libs,ALL"]
    },
    {
      # Opens untrusted index files in a throwaway process before the worker does (see the source).
      "target_name": "index_probe",
      "type": "executable",
      "sources": ["probe/index-probe.cc"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": [
        "-std=c++17",
        "-fexceptions",
        "-frtti",
        "-fopenmp",
        "-include", "<(module_root_dir)/compat/faiss_idx_t.h"
      ],
      "libraries": ["-l:libfaiss.a", "-lopenblas", "-fopenmp"]
    }
  ]
}
