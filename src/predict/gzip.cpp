#include "gzip.h"

#include <zlib.h>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

// windowBits 15 + 16: zlib writes and reads the gzip wrapper instead of its own.
constexpr int kGzipWindowBits = 15 + 16;
constexpr std::size_t kChunk = 1 << 16;

// Feeds `in` to `stream` and calls `step` (one deflate or inflate call, which returns
// its status or throws) until it reports the end of the stream; returns all output.
// `step` sees the output so far, without the chunk being filled.
template <typename Step>
std::string pump(z_stream& stream, const std::string& in, Step step) {
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    stream.avail_in = static_cast<uInt>(in.size());
    std::string out;
    for (int status = Z_OK; status != Z_STREAM_END;) {
        char chunk[kChunk];
        stream.next_out = reinterpret_cast<Bytef*>(chunk);
        stream.avail_out = kChunk;
        status = step(out);
        out.append(chunk, kChunk - stream.avail_out);
    }
    return out;
}

}  // namespace

bool is_gzip(const std::string& bytes) {
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
           static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gzip_compress(const std::string& bytes) {
    z_stream stream{};
    SNNIPRED_CHECK(deflateInit2(&stream, 9, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) == Z_OK, Error,
                   "gzip: cannot initialise zlib");
    std::string out = pump(stream, bytes, [&](const std::string&) { return deflate(&stream, Z_FINISH); });
    deflateEnd(&stream);
    return out;
}

std::string gzip_decompress(const std::string& bytes, const std::string& source, std::size_t max_bytes) {
    z_stream stream{};
    SNNIPRED_CHECK(inflateInit2(&stream, kGzipWindowBits) == Z_OK, Error, "gzip: cannot initialise zlib");
    const auto fail = [&](const std::string& why) {
        inflateEnd(&stream);
        throw InvalidInput(source + ": " + why);
    };
    const auto check_size = [&](std::size_t size) {
        if (size > max_bytes)
            fail("decompresses to more than " + std::to_string(max_bytes) +
                 " bytes, the limit for this file (corrupt, or a decompression bomb)");
    };
    std::string out = pump(stream, bytes, [&](const std::string& so_far) {
        check_size(so_far.size());
        const int status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) fail("corrupt or truncated gzip bundle");
        // All input read and output space left, yet no end of stream: the file was cut.
        if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) fail("truncated gzip bundle");
        return status;
    });
    check_size(out.size());
    inflateEnd(&stream);
    return out;
}

}  // namespace snnipred::predict
