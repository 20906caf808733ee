// index-probe FILE MEMORY_LIMIT_BYTES
//
// Opens a faiss index file in a throwaway process before the engine's worker does: faiss reads
// what a file claims (sizes, entry points, neighbour ids) and trusts it, so a crafted file can
// segfault, abort or bloat whoever reads it. This process caps its own address space, reads the
// file, walks the structure checking that every id and size agrees with the others, runs one
// trial search, and prints one JSON line: {"ok":true,...facts} or {"ok":false,"error":"..."}.
// A crash here costs nothing but this process; the caller maps it to an error.
#include <faiss/Index.h>
#include <faiss/IndexFastScan.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexIVFFastScan.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexIVFPQFastScan.h>
#include <faiss/IndexLSH.h>
#include <faiss/IndexPQ.h>
#include <faiss/IndexPQFastScan.h>
#include <faiss/IndexPreTransform.h>
#include <faiss/IndexRefine.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/VectorTransform.h>
#include <faiss/index_io.h>
#include <faiss/invlists/BlockInvertedLists.h>
#include <faiss/invlists/InvertedLists.h>
#include <omp.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <random>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

using faiss::Index;
using idx_t = faiss::Index::idx_t;

namespace {

constexpr int MAX_DEPTH = 16;
constexpr idx_t MAX_DIM = 1 << 20;

struct Inconsistent : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void require(bool ok, const std::string& what) {
  if (!ok) throw Inconsistent(what);
}

std::string n(size_t v) { return std::to_string(v); }

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

void check_pq(const faiss::ProductQuantizer& pq, idx_t d, const std::string& where) {
  require(pq.d == static_cast<size_t>(d), where + ": its PQ codes " + n(pq.d) + " dims, the index has " + n(d));
  require(pq.nbits >= 1 && pq.nbits <= 16, where + ": PQ with " + n(pq.nbits) + " bits per code");
  require(pq.M >= 1 && pq.M * pq.dsub == pq.d, where + ": PQ sub-vectors do not split the dimension");
  require(pq.ksub == (size_t(1) << pq.nbits), where + ": PQ centroid count does not match its bits");
  require(pq.centroids.size() == pq.d * pq.ksub, where + ": PQ centroid table holds " + n(pq.centroids.size()) + " floats, " + n(pq.d * pq.ksub) + " expected");
  require(pq.code_size == (pq.M * pq.nbits + 7) / 8, where + ": PQ code size does not match its shape");
}

void check_sq(const faiss::ScalarQuantizer& sq, idx_t d, size_t code_size, const std::string& where) {
  using SQ = faiss::ScalarQuantizer;
  require(sq.d == static_cast<size_t>(d), where + ": the scalar quantizer codes " + n(sq.d) + " dims, the index has " + n(d));
  size_t trained = 0;
  switch (sq.qtype) {
    case SQ::QT_8bit:
    case SQ::QT_4bit:
    case SQ::QT_6bit:
      trained = 2 * sq.d;
      break;
    case SQ::QT_8bit_uniform:
    case SQ::QT_4bit_uniform:
      trained = 2;
      break;
    case SQ::QT_fp16:
    case SQ::QT_8bit_direct:
      break;
    default:
      throw Inconsistent(where + ": unknown scalar quantizer type " + n(sq.qtype));
  }
  require(sq.trained.size() >= trained, where + ": the scalar quantizer's ranges are missing");
  require(sq.code_size == code_size, where + ": the scalar quantizer's code size does not match the index's");
}

void check_flat_codes(const faiss::IndexFlatCodes& ix, const std::string& where) {
  require(ix.code_size > 0, where + ": code size 0");
  require(ix.codes.size() == static_cast<size_t>(ix.ntotal) * ix.code_size,
          where + ": " + n(ix.ntotal) + " vectors of " + n(ix.code_size) + " bytes need " + n(ix.ntotal * ix.code_size) + " bytes of codes, the file holds " + n(ix.codes.size()));
}

void check_transform(const faiss::VectorTransform* vt, const std::string& where) {
  require(vt->d_in > 0 && vt->d_in <= MAX_DIM && vt->d_out > 0 && vt->d_out <= MAX_DIM, where + ": transform dimensions out of range");
  if (auto lt = dynamic_cast<const faiss::LinearTransform*>(vt)) {
    if (lt->is_trained) {
      require(lt->A.size() == static_cast<size_t>(vt->d_in) * vt->d_out, where + ": the transform's matrix does not match its dimensions");
      require(!lt->have_bias || lt->b.size() == static_cast<size_t>(vt->d_out), where + ": the transform's bias does not match its dimensions");
    }
  } else if (auto remap = dynamic_cast<const faiss::RemapDimensionsTransform*>(vt)) {
    require(remap->map.size() == static_cast<size_t>(vt->d_out), where + ": the dimension map does not match its output");
    for (int m : remap->map) require(m >= -1 && m < vt->d_in, where + ": the dimension map points outside the input");
  } else if (auto centre = dynamic_cast<const faiss::CenteringTransform*>(vt)) {
    require(!centre->is_trained || centre->mean.size() == static_cast<size_t>(vt->d_in), where + ": the centring mean does not match its dimensions");
    require(vt->d_in == vt->d_out, where + ": centring changes the dimension");
  } else if (dynamic_cast<const faiss::NormalizationTransform*>(vt)) {
    require(vt->d_in == vt->d_out, where + ": normalisation changes the dimension");
  } else {
    throw Inconsistent(where + ": transform " + typeid(*vt).name() + " is not one this app checks");
  }
}

void check_hnsw(const faiss::IndexHNSW& ix, const std::string& where) {
  const faiss::HNSW& h = ix.hnsw;
  const size_t nt = static_cast<size_t>(ix.ntotal);
  require(h.levels.size() == nt, where + ": " + n(h.levels.size()) + " node levels for " + n(nt) + " vectors");
  require(h.offsets.size() == nt + 1, where + ": " + n(h.offsets.size()) + " neighbour offsets for " + n(nt) + " vectors");
  require(h.cum_nneighbor_per_level.size() >= 2, where + ": no neighbour counts per level");
  const int levels = static_cast<int>(h.cum_nneighbor_per_level.size()) - 1;
  for (size_t l = 1; l < h.cum_nneighbor_per_level.size(); l++) {
    require(h.cum_nneighbor_per_level[l] >= h.cum_nneighbor_per_level[l - 1], where + ": neighbour counts per level decrease");
  }
  require(h.offsets[0] == 0, where + ": the first node's neighbours do not start at 0");
  int top = -1;
  for (size_t i = 0; i < nt; i++) {
    const int lv = h.levels[i];
    require(lv >= 1 && lv <= levels, where + ": node " + n(i) + " has level " + std::to_string(lv) + " (1 to " + std::to_string(levels) + " possible)");
    if (lv - 1 > top) top = lv - 1;
    require(h.offsets[i + 1] >= h.offsets[i] && h.offsets[i + 1] - h.offsets[i] == static_cast<size_t>(h.cum_nneighbor_per_level[lv]),
            where + ": node " + n(i) + "'s neighbour slots do not match its level");
  }
  require(h.offsets[nt] == h.neighbors.size(), where + ": the neighbour table holds " + n(h.neighbors.size()) + " ids, the offsets say " + n(h.offsets[nt]));
  for (size_t j = 0; j < h.neighbors.size(); j++) {
    const auto v = h.neighbors[j];
    require(v >= -1 && static_cast<size_t>(v + 1) <= nt, where + ": neighbour id " + std::to_string(v) + " is outside 0.." + n(nt));
  }
  if (nt == 0) {
    require(h.entry_point == -1, where + ": an empty graph with an entry point");
  } else {
    require(h.entry_point >= 0 && static_cast<size_t>(h.entry_point) < nt, where + ": entry point " + std::to_string(h.entry_point) + " is outside 0.." + n(nt - 1));
    require(h.max_level == top && h.levels[h.entry_point] - 1 == h.max_level, where + ": the entry point is not on the top level");
  }
  require(h.efSearch >= 1 && h.efSearch <= 1 << 16 && h.efConstruction >= 1 && h.efConstruction <= 1 << 16, where + ": efSearch / efConstruction out of range");
  require(ix.storage != nullptr, where + ": no vector storage");
  require(ix.storage->ntotal == ix.ntotal && ix.storage->d == ix.d, where + ": the storage's size does not match the graph's");
}

void check_ivf(faiss::IndexIVF& ix, const std::string& where, int depth);
void check(Index* ix, const std::string& where, int depth);

void check_invlists(const faiss::IndexIVF& ix, const std::string& where) {
  const faiss::InvertedLists* il = ix.invlists;
  require(il != nullptr, where + ": no inverted lists");
  require(il->nlist == ix.nlist, where + ": " + n(il->nlist) + " inverted lists for nlist " + n(ix.nlist));
  size_t total = 0;
  if (auto arr = dynamic_cast<const faiss::ArrayInvertedLists*>(il)) {
    require(il->code_size == ix.code_size, where + ": the lists' code size does not match the index's");
    require(arr->codes.size() == ix.nlist && arr->ids.size() == ix.nlist, where + ": list tables do not match nlist");
    for (size_t l = 0; l < ix.nlist; l++) {
      require(arr->codes[l].size() == arr->ids[l].size() * ix.code_size, where + ": list " + n(l) + " holds " + n(arr->ids[l].size()) + " ids but " + n(arr->codes[l].size()) + " code bytes");
      total += arr->ids[l].size();
    }
  } else if (auto blk = dynamic_cast<const faiss::BlockInvertedLists*>(il)) {
    require(blk->codes.size() == ix.nlist && blk->ids.size() == ix.nlist && blk->n_per_block > 0, where + ": block list tables do not match nlist");
    for (size_t l = 0; l < ix.nlist; l++) {
      const size_t blocks = (blk->ids[l].size() + blk->n_per_block - 1) / blk->n_per_block;
      require(blk->codes[l].size() == blocks * blk->block_size, where + ": block list " + n(l) + "'s codes do not match its ids");
      total += blk->ids[l].size();
    }
  } else {
    // on-disk lists name another file: never followed on behalf of a request
    throw Inconsistent(where + ": inverted lists of type " + typeid(*il).name() + " are not accepted");
  }
  require(total == static_cast<size_t>(ix.ntotal), where + ": the lists hold " + n(total) + " vectors, ntotal says " + n(ix.ntotal));
  const faiss::DirectMap& dm = ix.direct_map;
  if (dm.type == faiss::DirectMap::Array) {
    require(dm.array.size() == static_cast<size_t>(ix.ntotal), where + ": the direct map does not cover every vector");
  }
  for (auto lo : dm.array) {
    if (lo < 0) continue;
    const size_t list = static_cast<size_t>(lo >> 32), offset = static_cast<size_t>(lo & 0xffffffff);
    require(list < ix.nlist && offset < il->list_size(list), where + ": the direct map points outside the lists");
  }
  for (const auto& kv : dm.hashtable) {
    const size_t list = static_cast<size_t>(kv.second >> 32), offset = static_cast<size_t>(kv.second & 0xffffffff);
    require(kv.second >= 0 && list < ix.nlist && offset < il->list_size(list), where + ": the direct map points outside the lists");
  }
}

void check_ivf(faiss::IndexIVF& ix, const std::string& where, int depth) {
  require(ix.nlist >= 1, where + ": nlist 0");
  require(ix.quantizer != nullptr, where + ": no coarse quantizer");
  require(ix.quantizer->ntotal == static_cast<idx_t>(ix.nlist), where + ": the coarse quantizer holds " + n(ix.quantizer->ntotal) + " centroids for nlist " + n(ix.nlist));
  require(ix.quantizer->d == ix.d, where + ": the coarse quantizer has " + n(ix.quantizer->d) + " dims, the index " + n(ix.d));
  check(ix.quantizer, where + " > quantizer", depth + 1);
  check_invlists(ix, where);
  if (auto pq = dynamic_cast<faiss::IndexIVFPQ*>(&ix)) {
    check_pq(pq->pq, ix.d, where);
    require(ix.code_size == pq->pq.code_size, where + ": code size does not match its PQ");
  } else if (auto fs = dynamic_cast<faiss::IndexIVFPQFastScan*>(&ix)) {
    check_pq(fs->pq, ix.d, where);
    require(fs->pq.nbits == 4 && fs->M2 == ((fs->pq.M + 1) / 2) * 2, where + ": fast-scan PQ shape");
  } else if (auto sq = dynamic_cast<faiss::IndexIVFScalarQuantizer*>(&ix)) {
    check_sq(sq->sq, ix.d, ix.code_size, where);
  } else if (typeid(ix) == typeid(faiss::IndexIVFFlat)) {
    require(ix.code_size == sizeof(float) * static_cast<size_t>(ix.d), where + ": code size does not match d floats");
  } else {
    throw Inconsistent(where + ": " + typeid(ix).name() + " is not an index type this app checks");
  }
  // the trial search visits every list
  ix.nprobe = ix.nlist < (1u << 16) ? ix.nlist : (1u << 16);
}

void check(Index* ix, const std::string& where, int depth) {
  require(depth < MAX_DEPTH, where + ": indexes nested too deep");
  require(ix->d > 0 && ix->d <= MAX_DIM, where + ": dimension " + std::to_string(ix->d));
  require(ix->ntotal >= 0, where + ": negative ntotal");
  require(ix->metric_type == faiss::METRIC_L2 || ix->metric_type == faiss::METRIC_INNER_PRODUCT, where + ": metric " + std::to_string(ix->metric_type) + " is not L2 or inner product");
  if (auto pt = dynamic_cast<faiss::IndexPreTransform*>(ix)) {
    require(pt->index != nullptr, where + ": no index after the transforms");
    idx_t d = pt->d;
    for (size_t i = 0; i < pt->chain.size(); i++) {
      const faiss::VectorTransform* vt = pt->chain[i];
      require(vt != nullptr, where + ": missing transform");
      check_transform(vt, where + " > transform " + n(i));
      require(vt->d_in == d, where + ": transform " + n(i) + " takes " + n(vt->d_in) + " dims but receives " + n(d));
      d = vt->d_out;
    }
    require(pt->index->d == d, where + ": the index after the transforms has " + n(pt->index->d) + " dims, the transforms give " + n(d));
    require(pt->index->ntotal == pt->ntotal, where + ": ntotal differs from the inner index's");
    check(pt->index, where + " > inner", depth + 1);
  } else if (auto idmap = dynamic_cast<faiss::IndexIDMap*>(ix)) {
    require(idmap->index != nullptr, where + ": no index under the id map");
    require(idmap->id_map.size() == static_cast<size_t>(idmap->ntotal), where + ": the id map holds " + n(idmap->id_map.size()) + " ids for " + n(idmap->ntotal) + " vectors");
    require(idmap->index->ntotal == idmap->ntotal && idmap->index->d == idmap->d, where + ": the id map's size does not match its index");
    if (auto idmap2 = dynamic_cast<faiss::IndexIDMap2*>(ix)) {
      require(idmap2->rev_map.size() == idmap2->id_map.size(), where + ": the reverse id map does not match the id map");
    }
    check(idmap->index, where + " > inner", depth + 1);
  } else if (auto refine = dynamic_cast<faiss::IndexRefine*>(ix)) {
    require(refine->base_index && refine->refine_index, where + ": refine without its two indexes");
    require(refine->base_index->ntotal == ix->ntotal && refine->refine_index->ntotal == ix->ntotal, where + ": the refine's indexes hold different counts");
    require(refine->base_index->d == ix->d && refine->refine_index->d == ix->d, where + ": the refine's indexes have different dims");
    require(refine->k_factor >= 1 && refine->k_factor <= 1024, where + ": refine k_factor out of range");
    check(refine->base_index, where + " > base", depth + 1);
    check(refine->refine_index, where + " > refine", depth + 1);
  } else if (auto hnsw = dynamic_cast<faiss::IndexHNSW*>(ix)) {
    require(typeid(*ix) == typeid(faiss::IndexHNSWFlat) || typeid(*ix) == typeid(faiss::IndexHNSWPQ) || typeid(*ix) == typeid(faiss::IndexHNSWSQ),
            where + ": " + typeid(*ix).name() + " is not an index type this app checks");
    check_hnsw(*hnsw, where);
    check(hnsw->storage, where + " > storage", depth + 1);
  } else if (auto ivf = dynamic_cast<faiss::IndexIVF*>(ix)) {
    check_ivf(*ivf, where, depth);
  } else if (auto pqfs = dynamic_cast<faiss::IndexPQFastScan*>(ix)) {
    check_pq(pqfs->pq, ix->d, where);
    require(pqfs->bbs > 0 && pqfs->bbs % 32 == 0 && pqfs->M2 == ((pqfs->pq.M + 1) / 2) * 2, where + ": fast-scan block shape");
    const size_t nt2 = ((static_cast<size_t>(ix->ntotal) + pqfs->bbs - 1) / pqfs->bbs) * pqfs->bbs;
    require(pqfs->ntotal2 == nt2 && pqfs->codes.size() == nt2 * pqfs->M2 / 2, where + ": fast-scan codes do not match ntotal");
  } else if (auto flat = dynamic_cast<faiss::IndexFlat*>(ix)) {
    require(typeid(*ix) == typeid(faiss::IndexFlat) || typeid(*ix) == typeid(faiss::IndexFlatL2) || typeid(*ix) == typeid(faiss::IndexFlatIP),
            where + ": " + typeid(*ix).name() + " is not an index type this app checks");
    require(flat->code_size == sizeof(float) * static_cast<size_t>(ix->d), where + ": code size does not match d floats");
    check_flat_codes(*flat, where);
  } else if (auto pq = dynamic_cast<faiss::IndexPQ*>(ix)) {
    check_pq(pq->pq, ix->d, where);
    require(pq->code_size == pq->pq.code_size, where + ": code size does not match its PQ");
    check_flat_codes(*pq, where);
  } else if (auto sq = dynamic_cast<faiss::IndexScalarQuantizer*>(ix)) {
    check_sq(sq->sq, ix->d, sq->code_size, where);
    check_flat_codes(*sq, where);
  } else if (auto lsh = dynamic_cast<faiss::IndexLSH*>(ix)) {
    require(lsh->nbits >= 1 && lsh->nbits <= MAX_DIM && lsh->code_size == static_cast<size_t>((lsh->nbits + 7) / 8), where + ": LSH code shape");
    require(!lsh->train_thresholds || lsh->thresholds.size() == static_cast<size_t>(lsh->nbits), where + ": LSH thresholds do not match its bits");
    if (lsh->rotate_data) {
      require(lsh->rrot.d_in == ix->d && lsh->rrot.d_out == lsh->nbits, where + ": the LSH rotation's dims");
      check_transform(&lsh->rrot, where + " > rotation");
    } else {
      require(lsh->nbits <= ix->d, where + ": LSH without rotation takes at most d bits");
    }
    check_flat_codes(*lsh, where);
  } else {
    throw Inconsistent(where + ": " + typeid(*ix).name() + " is not an index type this app checks");
  }
}

std::string class_name(const Index* ix) {
  std::string name = typeid(*ix).name();
  // Itanium mangling: N5faiss<len><name>E
  const std::string prefix = "N5faiss";
  if (name.rfind(prefix, 0) == 0) {
    size_t i = prefix.size(), len = 0;
    while (i < name.size() && name[i] >= '0' && name[i] <= '9') len = len * 10 + (name[i++] - '0');
    return name.substr(i, len);
  }
  return name;
}

int answer(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: index-probe FILE MEMORY_LIMIT_BYTES\n");
    return 2;
  }
  const unsigned long long limit = std::strtoull(argv[2], nullptr, 10);
  struct rlimit rl = {limit, limit};
  if (limit == 0 || setrlimit(RLIMIT_AS, &rl) != 0) {
    std::fprintf(stderr, "index-probe: cannot set the memory limit\n");
    return 2;
  }
  omp_set_num_threads(1);
  std::unique_ptr<Index> index;
  try {
    index.reset(faiss::read_index(argv[1]));
  } catch (const std::bad_alloc&) {
    return answer("{\"ok\":false,\"reason\":\"memory\",\"error\":\"reading it needs more memory than its size can justify\"}");
  } catch (const std::exception& e) {
    std::string msg = e.what();
    const size_t nl = msg.find('\n');
    return answer("{\"ok\":false,\"reason\":\"read\",\"error\":" + json_string(msg.substr(0, nl)) + "}");
  }
  try {
    check(index.get(), class_name(index.get()), 0);
    const idx_t d = index->d;
    const idx_t k = index->ntotal > 0 ? (index->ntotal < 10 ? index->ntotal : 10) : 1;
    std::vector<float> query(d);
    std::mt19937 rng(1234);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    for (auto& v : query) v = uniform(rng);
    std::vector<float> distances(k);
    std::vector<idx_t> labels(k);
    index->search(1, query.data(), k, distances.data(), labels.data());
    const std::string metric = index->metric_type == faiss::METRIC_INNER_PRODUCT ? "ip" : "l2";
    return answer("{\"ok\":true,\"className\":" + json_string(class_name(index.get())) + ",\"d\":" + std::to_string(d) +
                  ",\"ntotal\":" + std::to_string(index->ntotal) + ",\"metric\":\"" + metric + "\"}");
  } catch (const Inconsistent& e) {
    return answer("{\"ok\":false,\"reason\":\"inconsistent\",\"error\":" + json_string(e.what()) + "}");
  } catch (const std::bad_alloc&) {
    return answer("{\"ok\":false,\"reason\":\"memory\",\"error\":\"searching it needs more memory than its size can justify\"}");
  } catch (const std::exception& e) {
    std::string msg = e.what();
    return answer("{\"ok\":false,\"reason\":\"search\",\"error\":" + json_string(msg.substr(0, msg.find('\n'))) + "}");
  }
}
