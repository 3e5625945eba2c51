#pragma once
// gzip framing of bundle files (zlib): a bundle saved as NAME.gz is compressed, and
// load_bundle recognises the gzip magic whatever the name.

#include <cstddef>
#include <string>

namespace snnipred::predict {

/// Whether `bytes` start with the gzip magic (1f 8b).
bool is_gzip(const std::string& bytes);
/// `bytes` compressed as one gzip member (level 9).
std::string gzip_compress(const std::string& bytes);
/// The content of a gzip file; throws InvalidInput naming `source` if it is corrupt,
/// truncated, or would decompress to more than `max_bytes` (checked as output arrives, so
/// a decompression bomb costs at most that much memory).
std::string gzip_decompress(const std::string& bytes, const std::string& source, std::size_t max_bytes);

}  // namespace snnipred::predict
